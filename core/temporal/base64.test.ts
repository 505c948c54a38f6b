import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from './base64';

describe('base64 without Buffer', () => {
  it('matches Node for every padding length and round trips', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(text)).toEqual(bytes);
    }
  });

  it('accepts unpadded input and rejects other characters', () => {
    expect(base64ToBytes('aGk')).toEqual(new TextEncoder().encode('hi'));
    expect(() => base64ToBytes('a*b=')).toThrow(/Invalid base64/);
    expect(() => base64ToBytes('abcde')).toThrow(/truncated/);
  });
});
