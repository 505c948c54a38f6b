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
