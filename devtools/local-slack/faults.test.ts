import {
  ErrorCode,
  LogLevel,
  type Logger,
  WebClient,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSlackServer } from './server';

let server: LocalSlackServer;

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

beforeEach(async () => {
  server = new LocalSlackServer();
  await server.start();
});

afterEach(async () => {
  await server.close();
});

function rejectingClient(): WebClient {
  return new WebClient(server.botToken, {
    slackApiUrl: server.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logger: quiet,
  });
}

describe('failNext', () => {
  it('answers 429 with Retry-After, which WebClient reports as rate limited', async () => {
    server.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 7 });
    const error = (await rejectingClient()
      .chat.postMessage({ channel: 'C_OPS', text: 'hi' })
      .catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.code).toBe('slack_webapi_rate_limited_error');
    expect(error.retryAfter).toBe(7);
    expect(server.messages('C_OPS')).toEqual([]);
    expect(server.calls('chat.postMessage')[0]).toMatchObject({
      status: 429,
      response: { ok: false, error: 'ratelimited' },
    });

    // The fault was used up: the next call goes through.
    await rejectingClient().chat.postMessage({ channel: 'C_OPS', text: 'hi' });
    expect(server.messages('C_OPS')).toHaveLength(1);
  });

  it('speaks the raw HTTP like Slack', async () => {
    server.failNext('auth.test', { status: 429, retryAfterSeconds: 3 });
    const response = await fetch(`${server.apiUrl}auth.test`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.botToken}` },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('injects platform errors', async () => {
    server.failNext('chat.update', { error: 'internal_error', times: 2 });
    const client = rejectingClient();
    for (let i = 0; i < 2; i++) {
      const error = (await client.chat
        .update({ channel: 'C_OPS', ts: '1.1', text: 'x' })
        .catch((e: unknown) => e)) as WebAPIPlatformError;
      expect(error.data.error).toBe('internal_error');
    }
    const third = (await client.chat
      .update({ channel: 'C_OPS', ts: '1.1', text: 'x' })
      .catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(third.data.error).toBe('message_not_found');
  });

  it('lets a default WebClient wait out Retry-After and succeed', async () => {
    server.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const patient = new WebClient(server.botToken, {
      slackApiUrl: server.apiUrl,
      logger: quiet,
      retryConfig: { retries: 1, minTimeout: 0 },
    });
    const started = Date.now();
    await patient.chat.postMessage({ channel: 'C_OPS', text: 'eventually' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });
});

describe('rateLimit', () => {
  it('limits posts per channel per second and can be lifted', async () => {
    const lift = server.rateLimit({ method: 'chat.postMessage', perSecond: 2, retryAfterSeconds: 5 });
    const client = rejectingClient();
    const post = (channel: string) =>
      client.chat.postMessage({ channel, text: 'x' }).then(
        () => 'ok',
        (e: WebAPIRateLimitedError) => `${e.code}:${e.retryAfter}`,
      );
    expect([await post('C_OPS'), await post('C_OPS'), await post('C_OPS')]).toEqual([
      'ok',
      'ok',
      'slack_webapi_rate_limited_error:5',
    ]);
    expect(await post('C_GENERAL')).toBe('ok');
    lift();
    expect(await post('C_OPS')).toBe('ok');
  });

  it('computes the peak per-channel post rate', async () => {
    let now = 1_700_000_000_000;
    await server.close();
    server = new LocalSlackServer({ now: () => now });
    await server.start();
    const client = rejectingClient();
    for (const step of [0, 100, 200, 1500, 1600]) {
      now = 1_700_000_000_000 + step;
      await client.chat.postMessage({ channel: 'C_OPS', text: 'x' });
    }
    now += 5000;
    await client.chat.postMessage({ channel: 'C_GENERAL', text: 'x' });
    expect(server.maxPostRate()).toBe(3);
    expect(server.maxPostRate({ channel: 'C_GENERAL' })).toBe(1);
    expect(server.maxPostRate({ windowMs: 2000 })).toBe(5);
  });
});
