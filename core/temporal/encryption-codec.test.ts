import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ErrorCode, PantheonError } from '../errors';
import { createEncryptionCodec, parseEncryptionKeys, type EncryptionCodec } from './encryption-codec';
import { payloadConverter } from './payload-converter';
import { isRefusedPayload, REFUSED_PLAINTEXT_REASON, RefusedPayload } from './refused-payload';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const codecFor = (keys: string, activeId?: string): EncryptionCodec =>
  createEncryptionCodec({ PAYLOAD_ENCRYPTION_KEYS: keys, PAYLOAD_ENCRYPTION_KEY_ID: activeId })!;
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const secret = { card: '4111 1111 1111 1111', at: new Date(0) };

describe('EncryptionCodec', () => {
  it('round trips payloads and hides their content and metadata', async () => {
    const codec = codecFor(`k1:${k1}`);
    const plain = payloadConverter.toPayload(secret);
    const [encrypted] = await codec.encode([plain]);
    expect(text(encrypted!.metadata?.encoding)).toBe('binary/encrypted');
    expect(text(encrypted!.metadata?.['encryption-key-id'])).toBe('k1');
    expect(Buffer.from(encrypted!.data!).includes('4111')).toBe(false);
    expect(Buffer.from(encrypted!.data!).includes('json/plain')).toBe(false);
    const [decrypted] = await codec.decode([encrypted!]);
    expect(payloadConverter.fromPayload(decrypted!)).toEqual(secret);
  });

  it('uses a fresh IV for every payload', async () => {
    const codec = codecFor(`k1:${k1}`);
    const plain = payloadConverter.toPayload('same');
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('keeps undefined (binary/null, no data) intact', async () => {
    const codec = codecFor(`k1:${k1}`);
    const [decrypted] = await codec.decode(await codec.encode([payloadConverter.toPayload(undefined)]));
    expect(text(decrypted!.metadata?.encoding)).toBe('binary/null');
    expect(payloadConverter.fromPayload(decrypted!)).toBeUndefined();
  });

  it('rotates: encrypts with the active key, decrypts with any configured key', async () => {
    const [oldPayload] = await codecFor(`k1:${k1}`).encode([payloadConverter.toPayload('old')]);
    const rotated = codecFor(`k1:${k1},k2:${k2}`, 'k2');
    const [newPayload] = await rotated.encode([payloadConverter.toPayload('new')]);
    expect(text(newPayload!.metadata?.['encryption-key-id'])).toBe('k2');
    const decoded = await rotated.decode([oldPayload!, newPayload!]);
    expect(decoded.map((p) => payloadConverter.fromPayload(p))).toEqual(['old', 'new']);
  });

  it('refuses unencrypted payloads on decode: they become a RefusedPayload, never the value', async () => {
    const plain = payloadConverter.toPayload({ approve: true });
    const [decoded] = await codecFor(`k1:${k1}`).decode([plain]);
    const value = payloadConverter.fromPayload(decoded!);
    expect(isRefusedPayload(value)).toBe(true);
    expect(value).toEqual(new RefusedPayload(REFUSED_PLAINTEXT_REASON));
  });

  it('passes unencrypted payloads through only with PAYLOAD_ENCRYPTION_ALLOW_PLAINTEXT (migrations)', async () => {
    const plain = payloadConverter.toPayload({ a: 1 });
    const codec = createEncryptionCodec({
      PAYLOAD_ENCRYPTION_KEYS: `k1:${k1}`,
      PAYLOAD_ENCRYPTION_KEY_ID: undefined,
      PAYLOAD_ENCRYPTION_ALLOW_PLAINTEXT: true,
    })!;
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('a user object shaped like the refused tag comes back as itself', async () => {
    const codec = codecFor(`k1:${k1}`);
    const [decoded] = await codec.decode(
      await codec.encode([payloadConverter.toPayload({ $refused: 'mine' })]),
    );
    expect(payloadConverter.fromPayload(decoded!)).toEqual({ $refused: 'mine' });
  });

  it('names an unknown key id', async () => {
    const [payload] = await codecFor(`k0:${k1}`).encode([payloadConverter.toPayload('x')]);
    const error = await codecFor(`k1:${k1}`)
      .decode([payload!])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PantheonError);
    expect(error).toMatchObject({
      code: ErrorCode.DecryptionFailed,
      message: expect.stringMatching(/"k0".*not in PAYLOAD_ENCRYPTION_KEYS \(k1\)/),
    });
  });

  it('rejects tampered data and a changed key', async () => {
    const codec = codecFor(`k1:${k1}`);
    const [payload] = await codec.encode([payloadConverter.toPayload('x')]);
    const flipped = Buffer.from(payload!.data!);
    flipped[20]! ^= 1;
    const tampered: Payload = { ...payload, data: flipped };
    await expect(codec.decode([tampered])).rejects.toMatchObject({
      code: ErrorCode.DecryptionFailed,
      message: expect.stringMatching(/altered/),
    });
    await expect(codec.decode([{ ...payload, data: flipped.subarray(0, 10) }])).rejects.toThrow(/altered/);
    await expect(codecFor(`k1:${k2}`).decode([payload!])).rejects.toThrow(/altered/);
  });
});

describe('parseEncryptionKeys', () => {
  it('is undefined without keys and defaults the active key to the first', () => {
    expect(
      parseEncryptionKeys({ PAYLOAD_ENCRYPTION_KEYS: undefined, PAYLOAD_ENCRYPTION_KEY_ID: undefined }),
    ).toBeUndefined();
    const keys = parseEncryptionKeys({
      PAYLOAD_ENCRYPTION_KEYS: ` a:${k1} , b:${k2}`,
      PAYLOAD_ENCRYPTION_KEY_ID: undefined,
    })!;
    expect(keys.activeKeyId).toBe('a');
    expect([...keys.keys.keys()]).toEqual(['a', 'b']);
    expect(keys.keys.get('b')).toEqual(Buffer.from(k2, 'base64'));
  });

  it.each([
    [
      `k1:${randomBytes(16).toString('base64')}`,
      undefined,
      /PAYLOAD_ENCRYPTION_KEYS key "k1" is 16 bytes; AES-256 needs 32/,
    ],
    [k1, undefined, /PAYLOAD_ENCRYPTION_KEYS must be comma-separated keyId:base64 entries.*entry 1/],
    [`k1:${k1},k2:not base64!`, undefined, /entry 2/],
    [`k1:${k1},k1:${k2}`, undefined, /lists key "k1" twice/],
    [
      `k1:${k1}`,
      'k9',
      /PAYLOAD_ENCRYPTION_KEY_ID is "k9", which is not a key id in PAYLOAD_ENCRYPTION_KEYS \(k1\)/,
    ],
    [undefined, 'k1', /PAYLOAD_ENCRYPTION_KEYS is not set/],
  ])('rejects %s (active %s) with an actionable message', (keys, activeId, message) => {
    const parse = () =>
      parseEncryptionKeys({ PAYLOAD_ENCRYPTION_KEYS: keys, PAYLOAD_ENCRYPTION_KEY_ID: activeId });
    expect(parse).toThrow(message);
    expect(parse).toThrow(expect.objectContaining({ code: ErrorCode.ConfigInvalid }));
  });

  it('never echoes key material in errors', () => {
    let message = '';
    try {
      parseEncryptionKeys({ PAYLOAD_ENCRYPTION_KEYS: `${k1}`, PAYLOAD_ENCRYPTION_KEY_ID: undefined });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/entry 1/);
    expect(message).not.toContain(k1.slice(0, 8));
  });
});
