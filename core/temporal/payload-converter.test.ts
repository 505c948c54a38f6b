import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { payloadConverter } from './payload-converter';

const roundTrip = <T>(value: T): T => payloadConverter.fromPayload<T>(payloadConverter.toPayload(value));
const encodingOf = (payload: Payload) => new TextDecoder().decode(payload.metadata?.encoding);
const jsonOf = (value: unknown): unknown => {
  const payload = payloadConverter.toPayload(value);
  expect(encodingOf(payload)).toBe('json/plain');
  return JSON.parse(new TextDecoder().decode(payload.data));
};

describe('payloadConverter', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('writes plain JSON exactly as the default converter does', () => {
    const value = { name: 'ada', tags: ['a', 'b'], nested: { n: 1.5, ok: true, none: null }, empty: {} };
    const ours = payloadConverter.toPayload(value);
    expect(encodingOf(ours)).toBe('json/plain');
    expect(ours.data).toEqual(defaultPayloadConverter.toPayload(value).data);
    expect(roundTrip(value)).toEqual(value);
  });

  it('follows JSON rules for undefined, functions and toJSON', () => {
    const url = new URL('https://example.com/a');
    expect(roundTrip({ a: undefined, f: () => 1, list: [undefined], url })).toEqual({
      list: [null],
      url: url.href,
    });
    expect(roundTrip(undefined)).toBeUndefined();
    expect(roundTrip(null)).toBeNull();
  });

  it('keeps Dates, including nested and invalid ones', () => {
    const at = new Date('2024-05-01T12:34:56.789Z');
    expect(jsonOf(at)).toEqual({ $date: '2024-05-01T12:34:56.789Z' });
    const back = roundTrip({ at, list: [at] });
    expect(back.at).toBeInstanceOf(Date);
    expect(back.at.getTime()).toBe(at.getTime());
    expect(back.list[0]).toBeInstanceOf(Date);
    expect(Number.isNaN(roundTrip(new Date(NaN)).getTime())).toBe(true);
  });

  it('keeps BigInts beyond 2^53', () => {
    const big = 2n ** 64n + 1n;
    expect(jsonOf({ big })).toEqual({ big: { $bigint: '18446744073709551617' } });
    expect(roundTrip({ big, negative: -(2n ** 53n) - 1n, list: [1n] })).toEqual({
      big,
      negative: -(2n ** 53n) - 1n,
      list: [1n],
    });
    expect(roundTrip(big)).toBe(big);
  });

  it('keeps Buffers as Buffers and Uint8Arrays as Uint8Arrays', () => {
    const buffer = Buffer.from('héllo');
    const bytes = new Uint8Array([0, 1, 254, 255]);
    const back = roundTrip({ buffer, bytes, deep: [{ bytes }] });
    expect(Buffer.isBuffer(back.buffer)).toBe(true);
    expect(back.buffer.toString()).toBe('héllo');
    expect(Buffer.isBuffer(back.bytes)).toBe(false);
    expect(back.bytes).toEqual(bytes);
    expect(back.deep[0]!.bytes).toEqual(bytes);
    expect(jsonOf({ buffer })).toEqual({ buffer: { $buffer: buffer.toString('base64') } });
  });

  it('keeps top-level bytes: Uint8Array as binary/plain, Buffer tagged', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const payload = payloadConverter.toPayload(bytes);
    expect(encodingOf(payload)).toBe('binary/plain');
    expect(payloadConverter.fromPayload(payload)).toEqual(bytes);
    const buffer = roundTrip(Buffer.from('top'));
    expect(Buffer.isBuffer(buffer) && buffer.toString()).toBe('top');
  });

  it('keeps Maps and Sets with special keys and values', () => {
    const at = new Date(0);
    const map = new Map<unknown, unknown>([
      ['a', 1],
      [at, new Set([1n, 'x'])],
    ]);
    const back = roundTrip({ map });
    expect(back.map).toBeInstanceOf(Map);
    const [[k1, v1], [k2, v2]] = [...back.map] as [[unknown, unknown], [Date, Set<unknown>]];
    expect([k1, v1]).toEqual(['a', 1]);
    expect(k2.getTime()).toBe(0);
    expect([...v2]).toEqual([1n, 'x']);
  });

  it('returns user objects that look like tags unchanged', () => {
    const lookalikes = [
      { $date: '2024-01-01T00:00:00.000Z' },
      { $bigint: '12' },
      { $bytes: 'AAEC' },
      { $buffer: 'AAEC' },
      { $map: [['a', 1]] },
      { $set: [1] },
      { $escape: { $date: 'x' } },
      { $date: 'x', other: 1 },
      { $date: new Date(5) },
    ];
    for (const value of lookalikes) expect(roundTrip({ value })).toEqual({ value });
    expect(jsonOf({ $bigint: '12' })).toEqual({ $escape: { $bigint: '12' } });
    // A key that JSON drops must not hide a lookalike from the escape check.
    expect(roundTrip({ $bigint: '12', gone: undefined })).toEqual({ $bigint: '12' });
  });

  it('keeps a "__proto__" key as data', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const back = roundTrip(value);
    expect(Object.keys(back)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects circular values with a clear error', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => payloadConverter.toPayload(loop)).toThrow(/circular/);
    const shared = { n: 1 };
    expect(roundTrip({ a: shared, b: shared })).toEqual({ a: { n: 1 }, b: { n: 1 } });
  });

  it('works without Buffer, as inside the workflow sandbox', () => {
    const payload = payloadConverter.toPayload({ buffer: Buffer.from([7, 8]) });
    vi.stubGlobal('Buffer', undefined);
    const back = payloadConverter.fromPayload<{ buffer: Uint8Array; bytes: Uint8Array }>(payload);
    const again = payloadConverter.fromPayload<{ bytes: Uint8Array }>(
      payloadConverter.toPayload({ bytes: back.buffer }),
    );
    vi.unstubAllGlobals();
    expect(back.buffer.constructor).toBe(Uint8Array);
    expect(back.buffer).toEqual(new Uint8Array([7, 8]));
    expect(again.bytes).toEqual(new Uint8Array([7, 8]));
  });
});
