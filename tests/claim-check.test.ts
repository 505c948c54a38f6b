import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import proto from '@temporalio/proto';
import { createDataConverter } from '../core/temporal/data-converter';

const { HistoryEvent } = proto.temporal.api.history.v1;

/**
 * Temporal refuses payloads over 2 MB and keeps every payload in history. With the claim-check
 * codec a 20 MB file goes from one activity to the next and back to the client while history
 * holds only references, with encryption on (the blob store then holds ciphertext) and off.
 */
const sizeMb = 20;
let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
});
afterAll(() => connection?.close());

const activities = {
  async makeFile(megabytes: number) {
    const bytes = Buffer.alloc(megabytes * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 1024) bytes.writeUInt32BE(i, i);
    return { name: 'scan.pdf', base64: bytes.toString('base64') };
  },
  async digestOf(file: { base64: string }) {
    return createHash('sha256').update(Buffer.from(file.base64, 'base64')).digest('hex');
  },
};

describe.each([
  ['encryption off', {}],
  ['encryption on', { PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` }],
])('a 20 MB file through a workflow (%s)', (_, keys) => {
  it('completes, and no payload in history is over the claim-check threshold', async () => {
    const dataConverter = createDataConverter({
      PAYLOAD_ENCRYPTION_KEYS: undefined,
      PAYLOAD_ENCRYPTION_KEY_ID: undefined,
      BLOB_DIR: mkdtempSync(join(tmpdir(), 'claim-check-')),
      ...keys,
    });
    const taskQueue = `claim-check-${randomUUID().slice(0, 8)}`;
    const workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue,
      workflowsPath: join(import.meta.dirname, 'fixtures', 'large-payload', 'workflows.ts'),
      activities,
      dataConverter,
    });
    const client = new Client({ connection, dataConverter });
    try {
      const handle = await client.workflow.start('largeFileRoundTrip', {
        taskQueue,
        workflowId: `large-file-${randomUUID()}`,
        args: [sizeMb],
      });
      const result = (await worker.runUntil(handle.result())) as {
        digest: string;
        file: { base64: string };
      };
      const original = Buffer.from((await activities.makeFile(sizeMb)).base64, 'base64');
      expect(result.digest).toBe(createHash('sha256').update(original).digest('hex'));
      expect(Buffer.from(result.file.base64, 'base64').equals(original)).toBe(true);

      const { events } = await handle.fetchHistory();
      const largest = Math.max(...(events ?? []).map((e) => HistoryEvent.encode(e).finish().length));
      expect(largest).toBeLessThan(256 * 1024);
    } finally {
      await workerConnection.close();
    }
  }, 120_000);
});
