import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { BlobStore } from '../core/blobs/store';
import { ErrorCode, PantheonError } from '../core/errors';

const contentTypes: Record<string, string> = {
  '.csv': 'text/csv',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.eml': 'message/rfc822',
  '.txt': 'text/plain',
  '.json': 'application/json',
};

/**
 * `key=@path` arguments of `pantheon run`: the file is stored in the blob store and the argument
 * becomes its reference (`key={"blobRef":…}`), so a run never carries a file in its history and
 * never reads the operator's disk itself. Other words pass through unchanged.
 */
export async function uploadFileArguments(words: readonly string[], blobs: BlobStore): Promise<string[]> {
  return Promise.all(
    words.map(async (word) => {
      const match = /^([\w.-]+)=@(.+)$/.exec(word);
      if (!match) return word;
      const [, key, path] = match as unknown as [string, string, string];
      const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
        throw new PantheonError(
          ErrorCode.InvalidInput,
          error.code === 'ENOENT' ? `${key}=@${path}: no such file` : `${key}=@${path}: ${error.message}`,
        );
      });
      // The name travels inside the argument's JSON: no quotes in it.
      const name = basename(path).replace(/["'\s]+/g, '_');
      const ref = await blobs.put(bytes, {
        name,
        contentType: contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
      });
      return `${key}=${JSON.stringify(ref)}`;
    }),
  );
}
