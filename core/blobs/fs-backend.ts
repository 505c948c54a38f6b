import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobBackend } from './backend';

/** Blobs as files in a folder: the embedded default (`npm run dev`, tests, one machine). */
export class FsBlobBackend implements BlobBackend {
  readonly description: string;
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = resolve(dir);
    this.description = `folder ${dir}`;
  }

  async exists(key: string): Promise<boolean> {
    return access(this.#path(key)).then(
      () => true,
      () => false,
    );
  }

  async write(key: string, body: Buffer | Readable): Promise<void> {
    const target = this.#path(key);
    // Written beside its final place and renamed: a crash leaves a stray temp file, never half a blob.
    const temp = join(this.#dir, 'tmp', randomUUID());
    await mkdir(dirname(temp), { recursive: true });
    await mkdir(dirname(target), { recursive: true });
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(temp));
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async read(key: string): Promise<Buffer | undefined> {
    return readFile(this.#path(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
  }

  async open(key: string): Promise<Readable | undefined> {
    if (!(await this.exists(key))) return undefined;
    return createReadStream(this.#path(key));
  }

  #path(key: string): string {
    // sha256/ab/abcdef…: two-letter fan-out keeps folders small.
    const [algorithm, hex] = key.split('/') as [string, string];
    return join(this.#dir, algorithm, hex.slice(0, 2), hex);
  }
}
