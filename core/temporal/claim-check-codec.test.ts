import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobBackend } from '../blobs/fs-backend';
import { BlobStore } from '../blobs/store';
import { CLAIM_CHECK_ENCODING, ClaimCheckCodec, MISSING_BLOB_REASON } from './claim-check-codec';
import { createDataConverter } from './data-converter';
import { payloadConverter } from './payload-converter';
import { RefusedPayload } from './refused-payload';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'claim-check-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const encoding = (p: Payload) => Buffer.from(p.metadata![METADATA_ENCODING_KEY]!).toString();
const sizeOf = (p: Payload) =>
  (p.data?.length ?? 0) + Object.values(p.metadata ?? {}).reduce((n, v) => n + (v?.length ?? 0), 0);

describe('the claim-check codec', () => {
  const store = () => new BlobStore(new FsBlobBackend(join(dir, 'plain')), 64 * 1024 * 1024);

  it('keeps a payload over the threshold in the blob store and history holds its address', async () => {
    const codec = new ClaimCheckCodec(store(), 1024);
    const large = payloadConverter.toPayload({ text: 'x'.repeat(5000) });
    const small = payloadConverter.toPayload({ text: 'short' });
    const [claimed, kept] = await codec.encode([large, small]);
    expect(encoding(claimed!)).toBe(CLAIM_CHECK_ENCODING);
    expect(sizeOf(claimed!)).toBeLessThan(200);
    expect(kept).toBe(small);
    const [back, same] = await codec.decode([claimed!, kept!]);
    expect(payloadConverter.fromPayload(back!)).toEqual({ text: 'x'.repeat(5000) });
    expect(same).toBe(small);
  });

  it('turns a claim check whose blob is missing, or a malformed one, into a refused value (not a stuck run)', async () => {
    const codec = new ClaimCheckCodec(store(), 1024);
    const forged = (data: string): Payload => ({
      metadata: { [METADATA_ENCODING_KEY]: Buffer.from(CLAIM_CHECK_ENCODING) },
      data: Buffer.from(data),
    });
    const decoded = await codec.decode([
      forged(JSON.stringify({ blobRef: `blob:sha256:${'a'.repeat(64)}` })),
      forged('not json'),
      forged(JSON.stringify({ blobRef: '../../../etc/passwd' })),
    ]);
    const values = decoded.map((p) => payloadConverter.fromPayload(p));
    expect(values[0]).toEqual(new RefusedPayload(MISSING_BLOB_REASON));
    expect(values.every((v) => v instanceof RefusedPayload)).toBe(true);
  });

  it('stores ciphertext when encryption is on, and the whole chain decodes', async () => {
    const blobDir = join(dir, 'encrypted');
    const converter = createDataConverter({
      PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      PAYLOAD_ENCRYPTION_KEY_ID: undefined,
      BLOB_DIR: blobDir,
      PAYLOAD_CLAIM_CHECK_BYTES: 1024,
    });
    const secret = `card 4111 1111 1111 1111 ${'y'.repeat(4000)}`;
    let payloads = [payloadConverter.toPayload(secret)];
    for (const codec of converter.payloadCodecs) payloads = await codec.encode(payloads);
    expect(encoding(payloads[0]!)).toBe(CLAIM_CHECK_ENCODING);
    const [fanout] = await readdir(join(blobDir, 'sha256'));
    const [file] = await readdir(join(blobDir, 'sha256', fanout!));
    const stored = await readFile(join(blobDir, 'sha256', fanout!, file!));
    expect(stored.includes(Buffer.from('4111'))).toBe(false);
    for (const codec of [...converter.payloadCodecs].reverse()) payloads = await codec.decode(payloads);
    expect(payloadConverter.fromPayload(payloads[0]!)).toBe(secret);
  });
});
