import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGcsEmulator, type GcsEmulator } from '../../tests/support/gcs-emulator';
import { FsBlobBackend } from './fs-backend';
import { GcsBlobBackend } from './gcs-backend';
import { BlobStore, createBlobStore } from './store';

let dir: string;
let gcs: GcsEmulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'blobs-'));
  gcs = await startGcsEmulator();
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await gcs?.stop();
});

const backends = {
  fs: () => new FsBlobBackend(join(dir, 'store')),
  gcs: () => new GcsBlobBackend(gcs.bucket, 'pantheon/blobs', gcs.apiEndpoint),
};

describe.each(Object.entries(backends))('the blob store on %s', (kind, backend) => {
  const store = () => new BlobStore(backend(), 30 * 1024 * 1024);

  it('keeps bytes by their digest and gives them back', async () => {
    const ref = await store().put(Buffer.from('hello blobs'), { contentType: 'text/plain', name: 'hi.txt' });
    expect(ref).toEqual({
      blobRef: `blob:sha256:${createHash('sha256').update('hello blobs').digest('hex')}`,
      size: 11,
      contentType: 'text/plain',
      name: 'hi.txt',
    });
    expect((await store().get(ref)).toString()).toBe('hello blobs');
    expect(await store().has(ref.blobRef)).toBe(true);
  });

  it('streams a 20 MB file in and out, and storing it again stores nothing new', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const first = await store().put(Readable.from([big.subarray(0, 7_000_000), big.subarray(7_000_000)]), {
      contentType: 'application/octet-stream',
    });
    const again = await store().put(big);
    expect(again.blobRef).toBe(first.blobRef);
    expect(first.size).toBe(big.length);
    const chunks: Buffer[] = [];
    for await (const chunk of await store().open(first)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
  }, 60_000);

  it('names a missing blob, a malformed reference and an oversized one', async () => {
    const missing = `blob:sha256:${'0'.repeat(64)}`;
    await expect(store().get(missing)).rejects.toMatchObject({
      code: 'BlobNotFound',
      message: expect.stringContaining(`No blob ${missing} in ${kind === 'fs' ? 'folder' : 'gs://'}`),
    });
    await expect(store().open(missing)).rejects.toMatchObject({ code: 'BlobNotFound' });
    await expect(store().get('../../etc/passwd')).rejects.toMatchObject({
      code: 'InvalidInput',
      message: expect.stringContaining('is not a blob reference'),
    });
    const small = new BlobStore(backend(), 10);
    await expect(small.put(Buffer.alloc(11), { name: 'big.pdf' })).rejects.toMatchObject({
      code: 'BlobTooLarge',
      message: expect.stringContaining('"big.pdf" is over BLOB_MAX_BYTES'),
    });
    await expect(small.put(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]))).rejects.toMatchObject({
      code: 'BlobTooLarge',
    });
  });
});

describe('the fs blob store', () => {
  it('refuses bytes that no longer match their digest', async () => {
    const root = join(dir, 'tamper');
    const store = new BlobStore(new FsBlobBackend(root), 1024);
    const ref = await store.put('original');
    const hex = ref.blobRef.slice('blob:sha256:'.length);
    await writeFile(join(root, 'sha256', hex.slice(0, 2), hex), 'tampered');
    await expect(store.get(ref)).rejects.toMatchObject({ message: expect.stringContaining('is corrupt') });
  });

  it('leaves no temporary files behind', async () => {
    const root = join(dir, 'clean');
    const store = new BlobStore(new FsBlobBackend(root), 1024);
    await store.put('one');
    await store.put(Readable.from(['two']));
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });
});

describe('the gcs blob store', () => {
  it('writes objects under the prefix of the bucket the settings name', async () => {
    const store = createBlobStore({
      BLOB_STORE: 'gcs',
      BLOB_DIR: 'unused',
      BLOB_GCS_BUCKET: gcs.bucket,
      BLOB_GCS_PREFIX: 'team-a/blobs',
      BLOB_GCS_API_ENDPOINT: gcs.apiEndpoint,
      BLOB_MAX_BYTES: 1024,
      PAYLOAD_CLAIM_CHECK_BYTES: 1024,
    });
    const ref = await store.put('in the bucket');
    const [files] = await new Storage({ apiEndpoint: gcs.apiEndpoint })
      .bucket(gcs.bucket)
      .getFiles({ prefix: 'team-a/' });
    expect(files.map((f) => f.name)).toEqual([`team-a/blobs/sha256/${ref.blobRef.slice(12)}`]);
  });

  it('says which setting is missing', () => {
    expect(() =>
      createBlobStore({
        BLOB_STORE: 'gcs',
        BLOB_DIR: 'unused',
        BLOB_GCS_BUCKET: undefined,
        BLOB_GCS_PREFIX: 'p',
        BLOB_GCS_API_ENDPOINT: undefined,
        BLOB_MAX_BYTES: 1,
        PAYLOAD_CLAIM_CHECK_BYTES: 1,
      }),
    ).toThrow(/BLOB_STORE is gcs but BLOB_GCS_BUCKET is not set/);
  });
});
