import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, PantheonError } from '../errors';
import type { BlobBackend } from './backend';
import type { BlobConfig } from './config';
import { FsBlobBackend } from './fs-backend';
import { GcsBlobBackend } from './gcs-backend';
import { blobRefSchema, type BlobRef } from './models';

export interface PutOptions {
  readonly contentType?: string;
  readonly name?: string;
}

/**
 * Files and large values, content-addressed: `put` returns a {@link BlobRef} that workflows pass
 * around instead of the bytes; `get`/`open` give the bytes back to an activity. Storing the same
 * bytes twice (a retried activity, a replayed payload) stores them once.
 */
export class BlobStore {
  constructor(
    readonly backend: BlobBackend,
    readonly maxBytes: number,
  ) {}

  async put(data: Buffer | Uint8Array | string | Readable, options: PutOptions = {}): Promise<BlobRef> {
    const contentType = options.contentType ?? 'application/octet-stream';
    if (data instanceof Readable) return this.#putStream(data, contentType, options.name);
    const bytes =
      typeof data === 'string'
        ? Buffer.from(data)
        : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.#checkSize(bytes.length, options.name);
    const hex = createHash('sha256').update(bytes).digest('hex');
    const key = keyOf(hex);
    if (!(await this.backend.exists(key)))
      await this.backend.write(key, bytes, { contentType, size: bytes.length });
    return ref(hex, bytes.length, contentType, options.name);
  }

  /** The bytes of `ref`, checked against its digest. */
  async get(reference: BlobRef | string): Promise<Buffer> {
    const { hex, size } = this.#parse(reference);
    if (size !== undefined) this.#checkSize(size);
    const bytes = await this.backend.read(keyOf(hex));
    if (!bytes) throw this.#notFound(hex);
    if (createHash('sha256').update(bytes).digest('hex') !== hex) {
      // Storage returned other bytes than were stored: never hand them on as the blob.
      throw new PantheonError(
        ErrorCode.BlobNotFound,
        `Blob blob:sha256:${hex} in ${this.backend.description} is corrupt (its content no longer matches its digest)`,
      );
    }
    return bytes;
  }

  /** A stream of the bytes of `ref` (for files too large to hold in memory). */
  async open(reference: BlobRef | string): Promise<Readable> {
    const { hex } = this.#parse(reference);
    const stream = await this.backend.open(keyOf(hex));
    if (!stream) throw this.#notFound(hex);
    return stream;
  }

  async has(reference: BlobRef | string): Promise<boolean> {
    return this.backend.exists(keyOf(this.#parse(reference).hex));
  }

  /** Streams to a temporary file while hashing (the address is known only at the end), then stores it. */
  async #putStream(source: Readable, contentType: string, name?: string): Promise<BlobRef> {
    const dir = await mkdtemp(join(tmpdir(), 'pantheon-blob-'));
    const temp = join(dir, randomUUID());
    try {
      const hash = createHash('sha256');
      let size = 0;
      const counter = new Transform({
        transform: (chunk: Buffer, _encoding, done) => {
          size += chunk.length;
          if (size > this.maxBytes) return done(this.#tooLarge(size, name));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(source, counter, createWriteStream(temp));
      const hex = hash.digest('hex');
      const key = keyOf(hex);
      if (!(await this.backend.exists(key))) {
        await this.backend.write(key, createReadStream(temp), { contentType, size: (await stat(temp)).size });
      }
      return ref(hex, size, contentType, name);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  #parse(reference: BlobRef | string): { hex: string; size?: number } {
    const value = typeof reference === 'string' ? reference : reference.blobRef;
    const parsed = blobRefSchema.shape.blobRef.safeParse(value);
    if (!parsed.success) {
      throw new PantheonError(
        ErrorCode.InvalidInput,
        `"${String(value).slice(0, 80)}" is not a blob reference (blob:sha256:<64 hex digits>)`,
      );
    }
    return {
      hex: parsed.data.slice('blob:sha256:'.length),
      ...(typeof reference === 'string' ? {} : { size: reference.size }),
    };
  }

  #checkSize(size: number, name?: string): void {
    if (size > this.maxBytes) throw this.#tooLarge(size, name);
  }

  #tooLarge(size: number, name?: string): PantheonError {
    return new PantheonError(
      ErrorCode.BlobTooLarge,
      `${name ? `"${name}"` : 'The blob'} is over BLOB_MAX_BYTES (${megabytes(size)} > ${megabytes(this.maxBytes)}); raise BLOB_MAX_BYTES or split the file`,
    );
  }

  #notFound(hex: string): PantheonError {
    return new PantheonError(
      ErrorCode.BlobNotFound,
      `No blob blob:sha256:${hex} in ${this.backend.description}: it was never stored here, or was deleted`,
    );
  }
}

/** The blob store the settings describe. */
export function createBlobStore(config: BlobConfig): BlobStore {
  if (config.BLOB_STORE === 'gcs') {
    if (!config.BLOB_GCS_BUCKET) {
      throw new PantheonError(
        ErrorCode.ConfigInvalid,
        'BLOB_STORE is gcs but BLOB_GCS_BUCKET is not set: name the Cloud Storage bucket',
      );
    }
    return new BlobStore(
      new GcsBlobBackend(config.BLOB_GCS_BUCKET, config.BLOB_GCS_PREFIX, config.BLOB_GCS_API_ENDPOINT),
      config.BLOB_MAX_BYTES,
    );
  }
  return new BlobStore(new FsBlobBackend(config.BLOB_DIR), config.BLOB_MAX_BYTES);
}

const keyOf = (hex: string) => `sha256/${hex}`;

function ref(hex: string, size: number, contentType: string, name?: string): BlobRef {
  return { blobRef: `blob:sha256:${hex}`, size, contentType, ...(name ? { name } : {}) };
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
