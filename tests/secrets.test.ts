import { randomBytes } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

type Payload = temporal.api.common.v1.IPayload;

/** Every payload anywhere in a history (inputs, results, signals, memo, failures). */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    if ('metadata' in value && 'data' in value) found.push(value as Payload);
    for (const child of Object.values(value)) payloadsIn(child, found);
  }
  return found;
}

/** Payload bytes: fetchHistory gives them as base64 strings (proto JSON) or as Uint8Array. */
function bytes(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  if (value instanceof Uint8Array) return Buffer.from(value);
  return Buffer.alloc(0);
}

/** The history as text, with payload bytes both raw and decoded, so a secret can hide in neither. */
function historyText(history: unknown): string {
  return JSON.stringify(history, (key, value: unknown) =>
    key === 'data' || key === 'encoding' || value instanceof Uint8Array
      ? `${bytes(value).toString('base64')} ${bytes(value).toString('utf8')}`
      : value,
  );
}

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function runSample(s: Stack): Promise<unknown> {
  const run = await s.runs.start(
    'invoice-review',
    { vendor: `secret-${Date.now()}`, amount: 3000 },
    { startedBy: 'test' },
  );
  await s.runs.signal(run.workflowId, 'review', { approve: true, reviewer: 'bob', note: 'fine' });
  await s.runs.handle(run.workflowId).result();
  return s.runs.handle(run.workflowId).fetchHistory();
}

describe('secrets stay out of Temporal history', () => {
  it('a canary secret in the environment appears nowhere in the history', async () => {
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    stack = await startStack({
      SLACK_BOT_TOKEN: `xoxb-${canary}`,
      SLACK_SIGNING_SECRET: canary,
      CODEC_SERVER_TOKEN: canary,
      DATABASE_URL: `postgres://postgres:${canary}@127.0.0.1:5432/test`,
    });
    const history = await runSample(stack);
    const text = historyText(history);
    expect(text).toContain('secret-'); // the history really was read: the vendor is in it
    expect(text).not.toContain(canary);
  });

  it('with the codec on, no payload in the history is readable JSON', async () => {
    const key = randomBytes(32).toString('base64');
    stack = await startStack({ PAYLOAD_ENCRYPTION_KEYS: `k1:${key}` });
    const history = await runSample(stack);
    const payloads = payloadsIn(history);
    expect(payloads.length).toBeGreaterThan(10);
    const readable = payloads.filter((p) => {
      try {
        JSON.parse(bytes(p.data).toString('utf8'));
        return true;
      } catch {
        return false;
      }
    });
    expect(readable).toEqual([]);
    expect(historyText(history)).not.toContain('secret-');
    for (const p of payloads) {
      expect(bytes(p.metadata!.encoding).toString()).toBe('binary/encrypted');
    }
  });
});
