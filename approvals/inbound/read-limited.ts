import type { Readable } from 'node:stream';

/** What `readLimited` got: the message, or only how many bytes went by once it was too big. */
export type LimitedRead =
  | { readonly oversized: false; readonly raw: Buffer; readonly bytes: number }
  | { readonly oversized: true; readonly bytes: number };

/**
 * Reads a stream into memory up to `maxBytes`. Past the limit it drops what it kept and only
 * counts the rest (SMTP must read to the final dot before it can answer 552), so an oversized
 * message never holds more than `maxBytes` in memory and is never parsed.
 */
export function readLimited(
  stream: Readable,
  maxBytes: number,
  onKept?: (bytes: number) => void,
): Promise<LimitedRead> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let kept = 0;
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        chunks = [];
        kept = 0;
        return;
      }
      chunks.push(chunk);
      kept += chunk.length;
      onKept?.(kept);
    });
    stream.once('error', reject);
    stream.once('end', () =>
      resolve(
        bytes > maxBytes
          ? { oversized: true, bytes }
          : { oversized: false, raw: Buffer.concat(chunks), bytes },
      ),
    );
  });
}
