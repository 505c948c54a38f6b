import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LocalSlackServer } from './server';

// End to end with a real Bolt app on its HTTP receiver: what the bot's own e2e tests will do.
const signingSecret = 'e2e-secret';
let slack: LocalSlackServer;
let app: App;

beforeEach(async () => {
  slack = new LocalSlackServer({ signingSecret });
  await slack.start();
  app = new App({
    token: slack.botToken,
    signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
  });

  app.command('/pantheon', async ({ ack, command, client }) => {
    await ack({ text: 'On it…' });
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `Request from <@${command.user_id}>: ${command.text}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `Request: ${command.text}` } },
        {
          type: 'actions',
          block_id: 'decision',
          elements: [
            {
              type: 'button',
              action_id: 'approve',
              text: { type: 'plain_text', text: 'Approve' },
              value: 'r1',
            },
          ],
        },
      ],
    });
  });
  app.action('approve', async ({ ack, respond, body }) => {
    await ack();
    await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
  });
  app.event('app_mention', async ({ event, say }) => {
    await say({ text: 'Hello!', thread_ts: event.ts });
  });

  const server = await app.start({ port: 0, host: '127.0.0.1' });
  slack.setAppUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
});

afterEach(async () => {
  await app.stop();
  await slack.close();
});

it('runs a slash command, a button click and a mention through Bolt', async () => {
  const command = await slack.slashCommand({ user: 'U_ALICE', channel: 'C_OPS', text: 'a laptop' });
  expect(command.status).toBe(200);
  expect(command.responses()[0]).toMatchObject({
    via: 'ack',
    outcome: 'ephemeral',
    body: { text: 'On it…' },
  });

  const posted = await slack.waitFor(
    'message_posted',
    (e) => e.channel === 'C_OPS' && e.message.text.includes('a laptop'),
  );
  await slack.clickButton({
    user: 'U_BOB',
    channel: 'C_OPS',
    messageTs: posted.message.ts,
    actionId: 'approve',
  });
  const updated = await slack.waitFor('message_updated', (e) => e.message.ts === posted.message.ts);
  expect(updated.message.text).toBe('Approved by <@U_BOB>');

  const mention = await slack.appMention({ user: 'U_ALICE', channel: 'C_GENERAL', text: 'hi' });
  const reply = await slack.waitUntil(() => slack.thread('C_GENERAL', mention.ts!)[1]);
  expect(reply).toMatchObject({ text: 'Hello!', bot_id: 'B_PANTHEON' });

  // A delivery Bolt cannot verify never reaches the listeners.
  const forged = await slack.appMention(
    { user: 'U_ALICE', channel: 'C_GENERAL', text: 'forged' },
    { signature: 'wrong' },
  );
  expect(forged.status).toBe(401);
});
