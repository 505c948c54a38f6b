/**
 * Standard base64 without `Buffer`, `atob` or `btoa`: the payload converter also runs inside
 * Temporal's workflow sandbox, where none of them exist.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE_OF = new Map([...ALPHABET].map((char, value) => [char, value]));

export function bytesToBase64(bytes: Uint8Array): string {
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i] ?? 0, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    chunks.push(
      ALPHABET.charAt((n >> 18) & 63) +
        ALPHABET.charAt((n >> 12) & 63) +
        (b === undefined ? '=' : ALPHABET.charAt((n >> 6) & 63)) +
        (c === undefined ? '=' : ALPHABET.charAt(n & 63)),
    );
  }
  return chunks.join('');
}

/** Decode standard, padded or unpadded base64; throws on any other character. */
export function base64ToBytes(text: string): Uint8Array {
  const digits = text.endsWith('==') ? text.slice(0, -2) : text.endsWith('=') ? text.slice(0, -1) : text;
  if (digits.length % 4 === 1) throw new TypeError('Invalid base64: truncated input');
  const out = new Uint8Array(Math.floor((digits.length * 3) / 4));
  let bits = 0;
  let carry = 0;
  let length = 0;
  for (const char of digits) {
    const value = VALUE_OF.get(char);
    if (value === undefined) throw new TypeError(`Invalid base64 character ${JSON.stringify(char)}`);
    carry = (carry << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (carry >> bits) & 0xff;
      carry &= (1 << bits) - 1;
    }
  }
  return out;
}
