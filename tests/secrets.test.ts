import { LocalSlackServer } from '@pantheon/local-slack';
import { newVoteSigningKey, parseVoteSigningKey, verifyKeyOf } from '../approvals/votes/keys';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { uploadFileArguments } from '../cli/file-arguments';
import { createBlobStore } from '../core/blobs/store';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { configShape } from '../config';
import { parseArgumentsOrThrow, tokenize } from '../core/input/parse-arguments';
import { startFakeServer } from '../tools/llm/testing/fake-server';
import type { FakeServer } from '../tools/llm/testing/fake-server';
import { openAiChat } from '../tools/llm/testing/wire';
import { workflowDefinitions } from '../config/workflows';
import { decideAsOperator, openApproval } from './support/approvals';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { waitFor } from './support/wait';

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

/** Settings whose value is a secret: by name, as core/parse-environment.ts judges them. */
const secretKeys = Object.keys(configShape).filter(
  (key) => /KEY|TOKEN|SECRET|PASSWORD/.test(key) && !/_KEY_ID$|MAX_TOKENS|_URL$/.test(key),
);

/**
 * A canary value for every secret setting, in the format the setting accepts. A new secret setting
 * with its own format fails `startStack` here until it gets a canary: none is left untested.
 */
function canaries(): { env: NodeJS.ProcessEnv; values: string[] } {
  const values: string[] = [];
  const canary = () => {
    const value = `canary${randomBytes(8).toString('hex')}`;
    values.push(value);
    return value;
  };
  const env: NodeJS.ProcessEnv = {};
  for (const key of secretKeys) env[key] = canary();
  const aesKey = randomBytes(32).toString('base64');
  values.push(aesKey);
  env.PAYLOAD_ENCRYPTION_KEYS = `k1:${aesKey}`;
  env.APPROVAL_TOKEN_KEYS = `k1:${canary()}`;
  env.LANGFUSE_PUBLIC_KEY = `pk-lf-${canary()}`;
  env.LANGFUSE_SECRET_KEY = `sk-lf-${canary()}`;
  env.LANGFUSE_BASE_URL = 'http://127.0.0.1:9'; // nothing listens: spans are dropped, never sent away
  env.SLACK_BOT_TOKEN = `xoxb-${canary()}`;
  env.SLACK_APP_TOKEN = `xapp-${canary()}`;
  env.DATABASE_URL = `postgres://postgres:${canary()}@127.0.0.1:5432/test`;
  env.GMAIL_CLIENT_ID = canary();
  env.GMAIL_CLIENT_SECRET = canary();
  env.GMAIL_REFRESH_TOKEN = canary();
  // An Ed25519 seed cannot spell "canary": a fresh one is the value to look for. Its public half
  // (the workers' verify keys) may be in history: workflows check votes with it.
  const signing = newVoteSigningKey('canary');
  values.push(signing.slice(signing.indexOf(':') + 1));
  env.APPROVAL_VOTE_SIGNING_KEY = signing;
  env.APPROVAL_VOTE_VERIFY_KEYS = verifyKeyOf(parseVoteSigningKey(signing));
  return { env, values };
}

let llm: FakeServer;
beforeAll(async () => {
  llm = await startFakeServer(() => openAiChat({ content: 'not what any schema wants' }));
});
afterAll(() => llm?.close());

const llmSettings = (): NodeJS.ProcessEnv => ({
  OPENAI_BASE_URL: `${llm.url}/v1`,
  LLM_MODELS: JSON.stringify({ smart: { provider: 'openai', model: 'gpt-4o-mini' } }),
  LLM_DEFAULT_MODEL: 'smart',
  LLM_CACHE_ENABLED: 'false',
});

/**
 * Runs every workflow of the catalogue from its own example input: to the end, or until it waits
 * for a person, then cancels it — so starts, activities, results, waits, cancellations and failures
 * (the fake model answers nothing a schema accepts) all reach history. Returns each history.
 */
async function runCatalogue(s: Stack): Promise<Map<string, unknown>> {
  const histories = new Map<string, unknown>();
  for (const definition of workflowDefinitions) {
    const input = parseArgumentsOrThrow(definition.input, await withFixtures(definition.example ?? '', s));
    const run = await s.runs.start(definition.name, input, { startedBy: 'slack:U_CANARY' });
    const handle = s.runs.handle(run.workflowId);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') break;
      const progress = await s.runs.progress(run.workflowId);
      if (progress?.state === 'waiting' || Date.now() > deadline) {
        await handle.cancel();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await handle.result().catch(() => undefined);
    histories.set(definition.name, await handle.fetchHistory());
  }
  return histories;
}

/** An example's `file=@name` arguments, uploaded from the documents fixtures as the CLI would. */
async function withFixtures(example: string, s: Stack): Promise<string> {
  if (!example.includes('=@')) return example;
  const fixtures = join(import.meta.dirname, '..', 'tools', 'documents', 'fixtures');
  const words = tokenize(example).map((word) => word.replace(/=@(?!\/)/, `=@${fixtures}/`));
  return (await uploadFileArguments(words, createBlobStore(s.config))).join(' ');
}

/** Every failure object in a history (workflow, activity, child, cancellation). */
function failuresIn(
  value: unknown,
  found: { message?: string; stackTrace?: string; source?: string }[] = [],
) {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    if ('message' in value && ('stackTrace' in value || 'source' in value)) found.push(value as never);
    for (const child of Object.values(value)) failuresIn(child, found);
  }
  return found;
}

describe('secrets stay out of Temporal history', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('no secret setting appears in the history of any workflow in the catalogue', async () => {
    expect(secretKeys).toEqual(
      expect.arrayContaining([
        'OPENAI_API_KEY',
        'ANTHROPIC_API_KEY',
        'SLACK_SIGNING_SECRET',
        'GMAIL_CLIENT_SECRET',
        'APPROVAL_TOKEN_KEYS',
        'APPROVAL_VOTE_SIGNING_KEY',
        'PAYLOAD_ENCRYPTION_KEYS',
      ]),
    );
    const { env, values } = canaries();
    // Slack is local and takes the canary token, so Slack posts really happen (and then never retry).
    const slack = new LocalSlackServer({
      signingSecret: env.SLACK_SIGNING_SECRET!,
      botToken: env.SLACK_BOT_TOKEN!,
    });
    await slack.start();
    onTestFinished(() => slack.close());
    stack = await startStack({ ...env, SLACK_API_URL: slack.apiUrl, ...llmSettings() });
    const histories = await runCatalogue(stack);
    expect([...histories.keys()]).toEqual(workflowDefinitions.map((d) => d.name));
    for (const [name, history] of histories) {
      const text = historyText(history);
      expect(text.length, name).toBeGreaterThan(1000); // the history really was read
      for (const value of values) expect(text.includes(value), `${name} history holds a secret`).toBe(false);
    }
  });

  it('with the codec on, no payload, failure message or stack trace of any workflow is readable', async () => {
    stack = await startStack({
      PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      OPENAI_API_KEY: 'sk-test',
      ...llmSettings(),
    });
    const histories = await runCatalogue(stack);
    let failures = 0;
    for (const [name, history] of histories) {
      const payloads = payloadsIn(history);
      expect(payloads.length, name).toBeGreaterThan(3);
      for (const p of payloads) expect(bytes(p.metadata!.encoding).toString(), name).toBe('binary/encrypted');
      for (const failure of failuresIn(history)) {
        if (failure.source !== 'TypeScriptSDK') continue; // the server's own (timeouts) carry no data
        failures++;
        expect(failure.message, name).toBe('Encoded failure');
        expect(failure.stackTrace ?? '', name).toBe('');
      }
    }
    expect(failures).toBeGreaterThan(0); // cancellations and the model's unusable answers failed somewhere
  });
});

describe('with encryption on, a client without the key cannot steer a run', () => {
  it('a plaintext signal from a plain Temporal client is refused, and the run is not wedged by it', async () => {
    const stack = await startStack({ PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` });
    try {
      const run = await stack.runs.start(
        'invoice-review',
        { vendor: 'acme', amount: 9000 },
        { startedBy: 'slack:U_ALICE' },
      );
      const requestId = await openApproval(stack, run.workflowId);
      // An attacker with Temporal access but no key: the old approval vote signal, unencrypted.
      const connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS });
      const plain = new Client({ connection, namespace: stack.config.TEMPORAL_NAMESPACE });
      await plain.workflow.getHandle(run.workflowId).signal('pantheon.approval.vote', {
        requestId,
        approver: 'cli:mallory',
        approve: true,
        via: 'cli',
        at: new Date().toISOString(),
      });
      await connection.close();
      // The run took the signal (a new workflow task ran) and is still waiting for a real review.
      await waitFor(async () => {
        const history = await stack.runs.handle(run.workflowId).fetchHistory();
        const events = history.events ?? [];
        const signalled = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
        return signalled >= 0 && events.slice(signalled).some((e) => e.workflowTaskCompletedEventAttributes)
          ? true
          : undefined;
      }, 'a workflow task after the forged signal');
      expect((await stack.runs.progress(run.workflowId))?.state).toBe('waiting');
      expect(await decideAsOperator(stack, 'bob', requestId, false, 'no')).toMatchObject({ code: 0 });
      const result = (await stack.runs.handle(run.workflowId).result()) as {
        decision: string;
        reviewedBy?: string;
      };
      expect(result).toMatchObject({ decision: 'rejected', reviewedBy: 'cli:bob' });
    } finally {
      await stack.close();
    }
  });
});
