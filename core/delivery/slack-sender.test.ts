import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSlackServer } from '@pantheon/local-slack';
import { SendError } from './errors';
import { senderFor } from './sender';
import { SlackSender } from './slack-sender';

let slack: LocalSlackServer;
let sender: SlackSender;
beforeAll(async () => {
  slack = new LocalSlackServer();
  await slack.start();
  sender = new SlackSender({ token: slack.botToken, apiUrl: slack.apiUrl });
});
afterAll(() => slack.close());

const failure = (method: string, args: Record<string, unknown>) =>
  sender.send(method, args).then(
    () => undefined,
    (error: unknown) => error as SendError,
  );

describe('SlackSender', () => {
  it("returns Slack's response", async () => {
    const response = await sender.send('chat.postMessage', { channel: 'C_OPS', text: 'hi' });
    expect(response).toMatchObject({ ok: true, channel: 'C_OPS', ts: expect.any(String) });
  });

  it('makes exactly one call per send: a 429 comes back with its Retry-After instead of being retried', async () => {
    slack.clearCalls();
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 7 });
    const error = await failure('chat.postMessage', { channel: 'C_OPS', text: 'hi' });
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ error: 'ratelimited', retryAfterMs: 7000, permanent: false });
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
  });

  it('tells permanent Slack errors from retryable ones', async () => {
    expect(await failure('chat.postMessage', { channel: 'C_NOPE', text: 'hi' })).toMatchObject({
      error: 'channel_not_found',
      permanent: true,
    });
    slack.failNext('chat.postMessage', { error: 'internal_error' });
    expect(await failure('chat.postMessage', { channel: 'C_OPS', text: 'hi' })).toMatchObject({
      error: 'internal_error',
      permanent: false,
    });
    slack.failNext('chat.update', { status: 503, error: 'service_unavailable' });
    expect(await failure('chat.update', { channel: 'C_OPS', ts: '1.2', text: 'hi' })).toMatchObject({
      error: 'http_503',
      permanent: false,
    });
  });
});

describe('senderFor', () => {
  it('picks the longest matching method prefix', () => {
    const slackSender = { send: async () => ({ via: 'slack' }) };
    const mailer = { send: async () => ({ via: 'mail' }) };
    const senders = { '': slackSender, 'email.': mailer };
    expect(senderFor(senders, 'email.send')).toBe(mailer);
    expect(senderFor(senders, 'chat.postMessage')).toBe(slackSender);
    expect(senderFor({ 'chat.': slackSender }, 'email.send')).toBeUndefined();
  });
});
