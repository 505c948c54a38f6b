import type { Readable } from 'node:stream';

/**
 * Where blob bytes are kept. Keys are content addresses (`sha256/<hex>`), so a write of a key that
 * exists already writes the same bytes and may be skipped.
 */
export interface BlobBackend {
  /** For messages: "folder .pantheon/blobs", "gs://bucket/prefix". */
  readonly description: string;
  exists(key: string): Promise<boolean>;
  /** Stores `body` under `key`, all or nothing: a reader never sees a partial blob. */
  write(key: string, body: Buffer | Readable, meta: { contentType: string; size: number }): Promise<void>;
  /** The bytes, or undefined when no blob has this key. */
  read(key: string): Promise<Buffer | undefined>;
  /** A stream of the bytes, or undefined when no blob has this key. */
  open(key: string): Promise<Readable | undefined>;
}
