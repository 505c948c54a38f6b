import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, Storage } from '@google-cloud/storage';
import type { BlobBackend } from './backend';

/** Uploads above this size are resumable (retried by the library chunk by chunk). */
const resumableFromBytes = 8 * 1024 * 1024;

/**
 * Blobs as objects in a Cloud Storage bucket: production, shared by every worker, bot and CLI.
 * Credentials are Google's Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, the
 * metadata server), never settings of ours. `apiEndpoint` points at a private endpoint or an
 * emulator (the tests use gcp-storage-emulator).
 */
export class GcsBlobBackend implements BlobBackend {
  readonly description: string;
  readonly #storage: Storage;

  constructor(
    private readonly bucket: string,
    private readonly prefix: string,
    apiEndpoint?: string,
  ) {
    this.#storage = new Storage(apiEndpoint ? { apiEndpoint } : {});
    this.description = `gs://${bucket}/${prefix}`;
  }

  async exists(key: string): Promise<boolean> {
    const [exists] = await this.#file(key).exists();
    return exists;
  }

  async write(
    key: string,
    body: Buffer | Readable,
    meta: { contentType: string; size: number },
  ): Promise<void> {
    const file = this.#file(key);
    const options = { contentType: meta.contentType, resumable: meta.size >= resumableFromBytes };
    // An upload is all or nothing in Cloud Storage: the object appears only once it is complete.
    if (Buffer.isBuffer(body)) await file.save(body, options);
    else await pipeline(body, file.createWriteStream(options));
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      const [bytes] = await this.#file(key).download();
      return bytes;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async open(key: string): Promise<Readable | undefined> {
    if (!(await this.exists(key))) return undefined;
    return this.#file(key).createReadStream();
  }

  #file(key: string) {
    return this.#storage
      .bucket(this.bucket)
      .file(this.prefix ? `${this.prefix.replace(/\/$/, '')}/${key}` : key);
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError ? error.code === 404 : (error as { code?: unknown }).code === 404;
}
