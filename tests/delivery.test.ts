import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './support/ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSlackServer } from '@pantheon/local-slack';
import {
  type Delivery,
  type DeliveryRequest,
  type DeliveryResponse,
  type DeliverySettings,
  DeliveryFailedError,
  DeliveryTimeoutError,
  SlackSender,
  createDelivery,
  startDeliveryWorker,
} from '../core/delivery';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = 'pantheon-test';
const logger = pino({ level: process.env.DELIVERY_TEST_LOG ?? 'silent' });
const WRITES = ['chat.postMessage', 'chat.update'];

// Fast retries and short debounce windows; pacing stays at the production default (1.1 s).
const testSettings: Partial<DeliverySettings> = {
  prefix: PREFIX,
  debounceMs: 300,
  backoffMs: 100,
  attempts: 4,
  pollMs: 500,
  waitTimeoutMs: 40_000,
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  slack: LocalSlackServer;
  delivery: Delivery;
  settings: Partial<DeliverySettings>;
  failed: { request: DeliveryRequest; error: DeliveryFailedError }[];
  sender: SlackSender;
}

/** A LocalSlackServer, and a delivery with its own queue consuming in this process through the real WebClient. */
async function harness(
  settings: Partial<DeliverySettings> = {},
  { redisUrl = REDIS_URL, consume = true } = {},
): Promise<Harness> {
  const slack = new LocalSlackServer();
  await slack.start();
  const all = { ...testSettings, queueName: `delivery-${randomUUID()}`, ...settings };
  const sender = new SlackSender({ token: slack.botToken, apiUrl: slack.apiUrl });
  const failed: Harness['failed'] = [];
  const delivery = createDelivery({
    redisUrl,
    logger,
    settings: all,
    ...(consume
      ? { senders: { '': sender }, onFailed: (request, error) => void failed.push({ request, error }) }
      : {}),
  });
  cleanups.push(async () => {
    await delivery.close();
    await slack.close();
    await deleteKeys(redisUrl, `${PREFIX}:${all.queueName}:*`);
  });
  return { slack, delivery, settings: all, failed, sender };
}

async function deleteKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(pattern);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

const post = (channel: string, text: string, key: string = randomUUID()): DeliveryRequest => ({
  channel,
  method: 'chat.postMessage',
  args: { channel, text },
  idempotencyKey: key,
  runId: 'run-test',
});

const update = (channel: string, ts: string, text: string): DeliveryRequest => ({
  channel,
  method: 'chat.update',
  args: { channel, ts, text },
  idempotencyKey: randomUUID(),
  debounceKey: `update:${channel}:${ts}`,
  runId: 'run-test',
});

const tsOf = (response: DeliveryResponse): string => response.ts as string;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('delivery queue (real Redis, real WebClient, local Slack)', () => {
  it('posts and returns the message ts', async () => {
    const { slack, delivery } = await harness();
    const response = await delivery.send(post('C_OPS', 'hello'));
    expect(response).toMatchObject({ ok: true, channel: 'C_OPS' });
    expect(slack.messages('C_OPS')).toMatchObject([{ ts: tsOf(response), text: 'hello' }]);
  });

  it('delivers an idempotency key once and answers every repeat with the first response', async () => {
    const { slack, delivery } = await harness();
    const request = post('C_OPS', 'once', 'activity-attempt-key');
    const [a, b] = await Promise.all([delivery.send(request), delivery.send(request)]);
    const c = await delivery.send(request);
    await delivery.enqueue(request);
    await sleep(200);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect(slack.messages('C_OPS')).toHaveLength(1);
  });

  it('honours 429 Retry-After without spending an attempt', async () => {
    // One attempt only: a 429 counted as an attempt would fail the delivery.
    const { slack, delivery } = await harness({ attempts: 1 });
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 });
    const response = await delivery.send(post('C_OPS', 'after the wait'));
    const [limited, accepted] = slack.calls('chat.postMessage');
    expect(limited).toMatchObject({ status: 429 });
    expect(accepted).toMatchObject({ status: 200, response: { ok: true, ts: tsOf(response) } });
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(2000);
  });

  it('retries other errors with backoff, and a repeated send after they ran out starts afresh', async () => {
    const { slack, delivery } = await harness({ attempts: 3, channelIntervalMs: 200 }); // pacing is not the point here
    slack.failNext('chat.postMessage', { error: 'internal_error', times: 2 });
    const response = await delivery.send(post('C_OPS', 'third time lucky'));
    expect(slack.calls('chat.postMessage').map((c) => c.response.ok)).toEqual([false, false, true]);
    expect(slack.messages('C_OPS')).toMatchObject([{ ts: tsOf(response), text: 'third time lucky' }]);

    // Retries exhausted: the caller gets the error; the same key sent again (a retried activity) tries again.
    slack.failNext('chat.postMessage', { error: 'internal_error', times: 3 });
    const request = post('C_GENERAL', 'second series');
    await expect(delivery.send(request)).rejects.toMatchObject({
      error: 'internal_error',
      attempts: 3,
      permanent: false,
    });
    expect(await delivery.send(request)).toMatchObject({ ok: true, channel: 'C_GENERAL' });
    expect(slack.messages('C_GENERAL')).toHaveLength(1);
  });

  it('fails a permanent error at once: DeliveryFailedError for send, onFailed for enqueue', async () => {
    const { slack, delivery, failed } = await harness();
    const request = post('C_NOPE', 'nowhere');
    const error = await delivery.send(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(error).toMatchObject({
      code: 'DeliveryFailed',
      error: 'channel_not_found',
      attempts: 1,
      permanent: true,
    });
    // Asking again gets the same failure without another call.
    await expect(delivery.send(request)).rejects.toMatchObject({ error: 'channel_not_found' });
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect(failed).toEqual([]); // awaited deliveries report to their caller

    const enqueued = { ...post('C_OPS', 'x'.repeat(50_000)), runId: 'run-42' };
    await delivery.enqueue(enqueued);
    await expect.poll(() => failed.length, { timeout: 5000 }).toBe(1);
    expect(failed[0]!.request).toEqual(enqueued);
    expect(failed[0]!.error).toMatchObject({ error: 'msg_too_long', attempts: 1 });
  });

  it('coalesces 50 rapid updates of one message into far fewer calls, ending on the latest text', async () => {
    const { slack, delivery } = await harness();
    const ts = tsOf(await delivery.send(post('C_OPS', 'progress 0/50')));
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => delivery.send(update('C_OPS', ts, `progress ${i + 1}/50`))),
    );
    expect(slack.calls('chat.update').length).toBeLessThanOrEqual(2);
    expect(slack.message('C_OPS', ts)?.text).toBe('progress 50/50');
    for (const response of responses) expect(response).toMatchObject({ ok: true, ts });
  });

  it('paces each channel without one channel holding up another', async () => {
    const { slack, delivery } = await harness();
    const busy = Array.from({ length: 4 }, (_, i) => delivery.send(post('C_OPS', `busy ${i}`)));
    await sleep(50);
    const started = Date.now();
    await delivery.send(post('C_GENERAL', 'not stuck behind #ops'));
    expect(Date.now() - started).toBeLessThan(1000);
    await Promise.all(busy);
    expect(slack.maxPostRate({ channel: 'C_OPS', windowMs: 1000 })).toBe(1);
    const times = slack
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === 'C_OPS')
      .map((c) => c.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it('survives a 429 storm: 200 updates over 3 rate-limited channels, every final state, nothing lost or doubled', async () => {
    const { slack, delivery } = await harness({ debounceMs: 1000 });
    slack.rateLimit({ perSecond: 1, retryAfterSeconds: 1 });
    // On top of the limiter, a few 429s our pacing cannot see coming.
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1, times: 2 });
    slack.failNext('chat.update', { status: 429, retryAfterSeconds: 1, times: 3 });
    const channels = [
      'C_OPS',
      'C_OPS',
      'C_OPS',
      'C_OPS',
      'C_GENERAL',
      'C_GENERAL',
      'C_GENERAL',
      'C_FINANCE',
      'C_FINANCE',
      'C_FINANCE',
    ];
    const STEPS = 19; // 10 messages x (1 post + 19 updates) = 200 requests

    // Ten "runs": each posts its message, then reports progress every 250 ms without waiting.
    const runs = await Promise.all(
      channels.map(async (channel, run) => {
        const ts = tsOf(await delivery.send(post(channel, `run ${run}: starting`)));
        const updates: Promise<DeliveryResponse>[] = [];
        for (let step = 1; step <= STEPS; step++) {
          updates.push(delivery.send(update(channel, ts, `run ${run}: step ${step}/${STEPS}`)));
          if (step < STEPS) await sleep(250);
        }
        for (const response of await Promise.all(updates)) expect(response).toMatchObject({ ok: true, ts });
        return { channel, ts, text: `run ${run}: step ${STEPS}/${STEPS}` };
      }),
    );

    const calls = slack.calls();
    for (const { channel, ts, text } of runs) expect(slack.message(channel, ts)?.text).toBe(text);
    for (const channel of new Set(channels)) {
      expect(slack.messages(channel)).toHaveLength(channels.filter((c) => c === channel).length);
      // Every attempt counts, 429s included. Our pace (one send per 1.1 s, measured when a send is
      // let through) keeps any one-second window at 1 despite a few ms of HTTP jitter.
      expect(slack.maxPostRate({ channel, windowMs: 1000, methods: WRITES })).toBe(1);
      const inChannel = calls.filter((c) => c.args.channel === channel);
      inChannel.forEach((call, i) => {
        if (call.status === 429 && inChannel[i + 1])
          expect(inChannel[i + 1]!.at - call.at).toBeGreaterThanOrEqual(1000);
      });
    }
    expect(calls.filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(5);
    expect(slack.calls('chat.postMessage').filter((c) => c.response.ok)).toHaveLength(10);
    expect(slack.calls('chat.update').length).toBeLessThan((10 * STEPS) / 2);
  }, 50_000);

  it('keeps every message of a busy channel updating while progress keeps coming', async () => {
    const { slack, delivery } = await harness({ debounceMs: 1000 });
    const messages = [];
    for (let run = 0; run < 3; run++)
      messages.push(tsOf(await delivery.send(post('C_OPS', `run ${run}: 0`))));

    // Updates every 250 ms: there is always a newer one inside its debounce window when a turn comes.
    const updates: Promise<DeliveryResponse>[] = [];
    for (let step = 1; step <= 20; step++) {
      messages.forEach((ts, run) => updates.push(delivery.send(update('C_OPS', ts, `run ${run}: ${step}`))));
      await sleep(250);
    }
    const updatingUntil = Date.now();
    await Promise.all(updates);

    messages.forEach((ts, run) => {
      expect(slack.message('C_OPS', ts)?.text).toBe(`run ${run}: 20`);
      const shown = slack
        .calls('chat.update')
        .filter((c) => c.args.ts === ts && c.response.ok && c.at < updatingUntil);
      expect(shown.length).toBeGreaterThanOrEqual(1);
    });
  }, 20_000);

  it('lets a caller stop waiting when nobody consumes, and resume with the same key once a worker runs', async () => {
    const { slack, delivery, settings, sender } = await harness({ waitTimeoutMs: 800 }, { consume: false });
    const request = post('C_OPS', 'eventually');
    await expect(delivery.send(request)).rejects.toBeInstanceOf(DeliveryTimeoutError);

    const worker = startDeliveryWorker({ redisUrl: REDIS_URL, logger, senders: { '': sender }, settings });
    cleanups.push(() => worker.close());
    await expect.poll(() => slack.messages('C_OPS').length, { timeout: 3000 }).toBe(1);
    const response = await delivery.send(request);
    expect(slack.messages('C_OPS')).toMatchObject([{ ts: tsOf(response), text: 'eventually' }]);
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
  });

  it('adds a job again when Redis lost it while its caller waited', async () => {
    const { slack, delivery, settings, sender } = await harness({}, { consume: false });
    const sending = delivery.send(post('C_OPS', 'survives data loss'));
    await sleep(300);
    await deleteKeys(REDIS_URL, `${PREFIX}:${settings.queueName}:*`); // as if Redis restarted empty

    const worker = startDeliveryWorker({ redisUrl: REDIS_URL, logger, senders: { '': sender }, settings });
    cleanups.push(() => worker.close());
    expect(await sending).toMatchObject({ ok: true, channel: 'C_OPS' });
    expect(slack.messages('C_OPS')).toHaveLength(1);
  });

  it('finishes every delivery exactly once across a real Redis restart (SIGKILL, same data dir)', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    // A job whose moveToActive reply is lost in the crash stays active under a lock nobody renews:
    // short locks let the stalled check hand it out again within seconds.
    const { slack, delivery } = await harness(
      { lockMs: 3000, stalledCheckMs: 1000 },
      { redisUrl: redis.url },
    );

    const sent = Array.from({ length: 8 }, (_, i) =>
      delivery.send(post(i % 2 ? 'C_OPS' : 'C_GENERAL', `sent ${i}`)),
    );
    for (let i = 0; i < 4; i++) await delivery.enqueue(post('C_FINANCE', `enqueued ${i}`));
    await expect
      .poll(() => slack.calls('chat.postMessage').length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(3);

    await redis.kill();
    await sleep(1000);
    await redis.restart();

    await Promise.all(sent);
    await expect.poll(() => slack.messages('C_FINANCE').length, { timeout: 15_000 }).toBe(4);
    const texts = ['C_OPS', 'C_GENERAL', 'C_FINANCE'].flatMap((c) => slack.messages(c).map((m) => m.text));
    expect(texts.sort()).toEqual(
      [
        ...Array.from({ length: 4 }, (_, i) => `enqueued ${i}`),
        ...Array.from({ length: 8 }, (_, i) => `sent ${i}`),
      ].sort(),
    );
  }, 40_000);
});

/** A redis-server of our own that persists every write (AOF, fsync always), so a SIGKILL loses nothing. */
async function startRedisServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'delivery-redis-'));
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;

  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; ; i++) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch (error) {
        if (i > 100) throw error;
        await sleep(50);
      } finally {
        probe.disconnect();
      }
    }
  };
  const kill = async () => {
    const dying = child;
    if (!dying || dying.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      dying.once('exit', () => resolve());
      dying.kill('SIGKILL');
    });
  };

  await start();
  return {
    url,
    kill,
    restart: start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
