/** A zip (an xlsx workbook) starts with "PK", 3, 4. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export type FileKind = 'pdf' | 'png' | 'jpeg' | 'zip';

/** What the bytes are, from their first bytes (never from a name or a claimed type). */
export function kindOf(bytes: Uint8Array): FileKind | undefined {
  const start = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (start.includes('%PDF-')) return 'pdf';
  if (bytes[0] === 0x89 && start.startsWith('\x89PNG\r\n\x1a\n')) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (isZip(bytes)) return 'zip';
  return undefined;
}

/** The first bytes, printable, for an error message: `12 bytes starting "hello, w"`. */
export function describeStart(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 8))
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.');
  return `${bytes.length} bytes starting "${head}"`;
}

/** The most pixels an image may have for OCR (about 8000 × 5000): bounds the decoder's memory. */
export const maxImagePixels = 40_000_000;

/**
 * Width and height from a PNG's IHDR or a JPEG's start-of-frame marker, read from the header
 * alone, so an image that decodes to gigabytes (a "decompression bomb") is refused before decoding.
 */
export function imageSize(
  bytes: Uint8Array,
  kind: 'png' | 'jpeg',
): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (kind === 'png')
    return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    const length = view.getUint16(at + 2);
    const startOfFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (startOfFrame) return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    at += 2 + length;
  }
  return undefined;
}
