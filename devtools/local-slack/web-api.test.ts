import { ErrorCode, LogLevel, type Logger, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSlackServer } from './server';

let server: LocalSlackServer;
let client: WebClient;

// The errors under test are expected: keep WebClient from logging each of them.
const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
const clientFor = (token: string) =>
  new WebClient(token, { slackApiUrl: server.apiUrl, retryConfig: { retries: 0 }, logger: quiet });

beforeEach(async () => {
  server = new LocalSlackServer();
  await server.start();
  client = clientFor(server.botToken);
});

afterEach(async () => {
  await server.close();
});

/** The Slack error string of a failed WebClient call. */
async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    expect((error as WebAPIPlatformError).code).toBe(ErrorCode.PlatformError);
    return (error as WebAPIPlatformError).data.error;
  }
  throw new Error('expected the call to fail');
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('auth', () => {
  it('answers auth.test for the bot token', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({
      ok: true,
      user_id: 'U_PANTHEON',
      bot_id: 'B_PANTHEON',
      team_id: 'T_LOCAL',
      user: 'pantheon',
    });
  });

  it('rejects a wrong token and a missing one', async () => {
    const wrong = clientFor('xoxb-wrong');
    expect(await slackError(wrong.chat.postMessage({ channel: 'C_OPS', text: 'hi' }))).toBe('invalid_auth');
    const none = await fetch(`${server.apiUrl}auth.test`, { method: 'POST' });
    expect(await none.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('accepts JSON bodies with a bearer token and form bodies with a token field', async () => {
    const json = await fetch(`${server.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${server.botToken}`,
        'Content-Type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'C_OPS', text: 'json', blocks: [section('json')] }),
    });
    expect(await json.json()).toMatchObject({
      ok: true,
      channel: 'C_OPS',
      message: { text: 'json', blocks: [section('json')] },
    });

    const form = await fetch(`${server.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: server.botToken, channel: 'C_OPS', text: 'form' }),
    });
    expect(await form.json()).toMatchObject({ ok: true, message: { text: 'form' } });
    expect(server.messages('C_OPS').map((m) => m.text)).toEqual(['json', 'form']);
  });

  it('answers unknown_method for methods it does not know', async () => {
    expect(await slackError(client.apiCall('chat.teleport', {}))).toBe('unknown_method');
  });
});

describe('chat', () => {
  it('posts, threads, broadcasts, updates and deletes like Slack', async () => {
    const parent = await client.chat.postMessage({
      channel: 'C_OPS',
      text: 'Request received',
      blocks: [section('*Request* received')],
      metadata: { event_type: 'request_created', event_payload: { id: 'r1' } },
    });
    expect(parent).toMatchObject({
      ok: true,
      channel: 'C_OPS',
      message: { bot_id: 'B_PANTHEON', user: 'U_PANTHEON' },
    });
    const ts = parent.ts!;

    await client.chat.postMessage({ channel: 'C_OPS', thread_ts: ts, text: 'working on it' });
    await client.chat.postMessage({ channel: 'C_OPS', thread_ts: ts, text: 'done', reply_broadcast: true });
    expect(server.thread('C_OPS', ts).map((m) => m.text)).toEqual([
      'Request received',
      'working on it',
      'done',
    ]);
    expect(server.message('C_OPS', ts)).toMatchObject({
      reply_count: 2,
      thread_ts: ts,
      metadata: { event_type: 'request_created' },
    });
    expect(server.messages('C_OPS', { includeReplies: false }).map((m) => m.text)).toEqual([
      'Request received',
      'done',
    ]);

    const updated = await client.chat.update({ channel: 'C_OPS', ts, text: 'Request approved' });
    expect(updated.message).toMatchObject({
      text: 'Request approved',
      blocks: [section('*Request* received')],
    });
    expect(server.message('C_OPS', ts)?.edited?.user).toBe('U_PANTHEON');

    const reply = server.thread('C_OPS', ts)[1]!;
    await client.chat.delete({ channel: 'C_OPS', ts: reply.ts });
    expect(server.message('C_OPS', ts)?.reply_count).toBe(1);
    expect(await slackError(client.chat.delete({ channel: 'C_OPS', ts: reply.ts }))).toBe(
      'message_not_found',
    );

    const calls = server.calls('chat.postMessage');
    expect(calls).toHaveLength(3);
    expect(calls[0]!.args.blocks).toEqual([section('*Request* received')]);
    expect(calls[0]!.args).not.toHaveProperty('token');
  });

  it('refuses to edit messages the bot did not post', async () => {
    server.ws.messages.post('C_OPS', 'U_ALICE', { text: 'mine' });
    const ts = server.messages('C_OPS')[0]!.ts;
    expect(await slackError(client.chat.update({ channel: 'C_OPS', ts, text: 'x' }))).toBe(
      'cant_update_message',
    );
    expect(await slackError(client.chat.delete({ channel: 'C_OPS', ts }))).toBe('cant_delete_message');
  });

  it('validates like Slack', async () => {
    expect(await slackError(client.chat.postMessage({ channel: 'C_NOPE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(client.chat.postMessage({ channel: 'C_OPS', text: '' }))).toBe('no_text');
    expect(await slackError(client.chat.postMessage({ channel: 'C_OPS', text: 'x'.repeat(40_001) }))).toBe(
      'msg_too_long',
    );
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    expect(await slackError(client.chat.postMessage({ channel: 'C_OPS', text: 'x', blocks: tooMany }))).toBe(
      'invalid_blocks',
    );
    expect(
      await slackError(
        client.chat.postMessage({ channel: 'C_OPS', text: 'x', blocks: [section('y'.repeat(3001))] }),
      ),
    ).toBe('invalid_blocks');
    expect(
      await slackError(client.chat.postMessage({ channel: 'C_OPS', text: 'x', thread_ts: '1.000001' })),
    ).toBe('thread_not_found');
    expect(server.messages('C_OPS')).toEqual([]);

    const response = server
      .calls('chat.postMessage')
      .find((c) => c.response.error === 'invalid_blocks')!.response;
    expect(response.response_metadata).toEqual({
      messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
    });
  });

  it('answers not_in_channel where the bot is not a member', async () => {
    await server.close();
    server = new LocalSlackServer({
      workspace: { channels: [{ id: 'C_SECRET', name: 'secret', members: ['U_ALICE'] }] },
    });
    await server.start();
    client = clientFor(server.botToken);
    expect(await slackError(client.chat.postMessage({ channel: 'C_SECRET', text: 'x' }))).toBe(
      'not_in_channel',
    );
  });

  it('posts to a user id as the DM, and by #name', async () => {
    const dm = await client.chat.postMessage({ channel: 'U_ALICE', text: 'psst' });
    const opened = await client.conversations.open({ users: 'U_ALICE' });
    expect(opened.channel?.id).toBe(dm.channel);
    expect(server.messages('U_ALICE').map((m) => m.text)).toEqual(['psst']);
    const byName = await client.chat.postMessage({ channel: '#finance', text: 'hello' });
    expect(byName.channel).toBe('C_FINANCE');
  });

  it('keeps ephemerals out of history and makes permalinks', async () => {
    const { message_ts } = await client.chat.postEphemeral({
      channel: 'C_OPS',
      user: 'U_ALICE',
      text: 'only you',
    });
    expect(server.ephemerals({ user: 'U_ALICE' })).toMatchObject([
      { ts: message_ts, channel: 'C_OPS', message: { text: 'only you' } },
    ]);
    expect(server.messages('C_OPS')).toEqual([]);
    expect(
      await slackError(client.chat.postEphemeral({ channel: 'C_FINANCE', user: 'U_ALICE', text: 'x' })),
    ).toBe('user_not_in_channel');

    const { ts } = await client.chat.postMessage({ channel: 'C_OPS', text: 'link me' });
    const link = await client.chat.getPermalink({ channel: 'C_OPS', message_ts: ts! });
    expect(link.permalink).toBe(`https://pantheon-local.slack.com/archives/C_OPS/p${ts!.replace('.', '')}`);
  });
});

describe('reactions', () => {
  it('adds, reads and removes the bot reaction', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C_OPS', text: 'react' });
    await client.reactions.add({ channel: 'C_OPS', timestamp: ts!, name: 'eyes' });
    expect(await slackError(client.reactions.add({ channel: 'C_OPS', timestamp: ts!, name: 'eyes' }))).toBe(
      'already_reacted',
    );
    const got = await client.reactions.get({ channel: 'C_OPS', timestamp: ts! });
    expect(got.message?.reactions).toEqual([{ name: 'eyes', users: ['U_PANTHEON'], count: 1 }]);
    await client.reactions.remove({ channel: 'C_OPS', timestamp: ts!, name: 'eyes' });
    expect(
      await slackError(client.reactions.remove({ channel: 'C_OPS', timestamp: ts!, name: 'eyes' })),
    ).toBe('no_reaction');
    expect(server.message('C_OPS', ts!)?.reactions).toBeUndefined();
  });
});

describe('files', () => {
  it('uploads with uploadV2 into a thread and serves the bytes back', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C_OPS', text: 'report coming' });
    const result = await client.filesUploadV2({
      channel_id: 'C_OPS',
      thread_ts: ts!,
      filename: 'report.csv',
      content: 'a,b\n1,2\n',
      title: 'Report',
      initial_comment: 'Here it is',
    });
    expect(result.ok).toBe(true);
    const [file] = server.files();
    expect(file).toMatchObject({
      name: 'report.csv',
      title: 'Report',
      mimetype: 'text/csv',
      size: 8,
      channels: ['C_OPS'],
    });
    expect(server.fileContent(file!.id)?.toString()).toBe('a,b\n1,2\n');

    const reply = server.thread('C_OPS', ts!)[1];
    expect(reply).toMatchObject({ text: 'Here it is', upload: true, files: [{ id: file!.id }] });
    const download = await fetch(file!.url_private);
    expect(await download.text()).toBe('a,b\n1,2\n');
  });

  it('refuses to complete an upload that was never sent', async () => {
    const { file_id } = await client.files.getUploadURLExternal({ filename: 'x.txt', length: 3 });
    expect(await slackError(client.files.completeUploadExternal({ files: [{ id: file_id! }] }))).toBe(
      'file_not_found',
    );
  });
});

describe('directory', () => {
  it('serves users, groups and conversations', async () => {
    expect((await client.users.info({ user: 'U_BOB' })).user).toMatchObject({
      name: 'bob',
      profile: { email: 'bob@example.com' },
    });
    expect(await slackError(client.users.info({ user: 'U_NOBODY' }))).toBe('user_not_found');
    expect((await client.users.lookupByEmail({ email: 'carol@example.com' })).user?.id).toBe('U_CAROL');

    const first = await client.users.list({ limit: 2 });
    expect(first.members).toHaveLength(2);
    const rest = await client.users.list({ limit: 2, cursor: first.response_metadata!.next_cursor! });
    expect(rest.members?.map((m) => m.id)).toEqual(['U_BOB', 'U_CAROL']);
    expect(rest.response_metadata?.next_cursor).toBe('');

    expect((await client.usergroups.users.list({ usergroup: 'S_APPROVERS' })).users).toEqual([
      'U_BOB',
      'U_CAROL',
    ]);
    expect(await slackError(client.usergroups.users.list({ usergroup: 'S_NOPE' }))).toBe('no_such_subteam');

    const channels = await client.conversations.list();
    expect(channels.channels?.map((c) => c.name)).toEqual(['general', 'ops', 'finance']);
    expect((await client.conversations.info({ channel: 'C_OPS' })).channel).toMatchObject({
      name: 'ops',
      is_member: true,
    });
    expect(await slackError(client.conversations.info({ channel: 'C_NOPE' }))).toBe('channel_not_found');
  });

  it('reads history newest first and replies oldest first', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C_OPS', text: 'one' });
    await client.chat.postMessage({ channel: 'C_OPS', text: 'two' });
    await client.chat.postMessage({ channel: 'C_OPS', text: 'reply', thread_ts: ts! });
    const history = await client.conversations.history({ channel: 'C_OPS' });
    expect(history.messages?.map((m) => m.text)).toEqual(['two', 'one']);
    const replies = await client.conversations.replies({ channel: 'C_OPS', ts: ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['one', 'reply']);
  });
});

describe('views', () => {
  const modal = {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: 'Approve' },
    blocks: [section('Sure?')],
  };

  it('opens only with a trigger the server issued, once', async () => {
    expect(await slackError(client.views.open({ trigger_id: '123.456.abc', view: modal }))).toBe(
      'invalid_trigger_id',
    );
    const trigger = server.ws.triggers.issue({ user: 'U_BOB' });
    const opened = await client.views.open({ trigger_id: trigger, view: modal });
    expect(opened.view).toMatchObject({
      type: 'modal',
      root_view_id: opened.view?.id,
      title: { text: 'Approve' },
    });
    expect(server.views({ user: 'U_BOB', open: true })).toHaveLength(1);
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal }))).toBe(
      'exchanged_trigger_id',
    );
  });

  it('expires triggers after three seconds', async () => {
    await server.close();
    let now = 1_700_000_000_000;
    server = new LocalSlackServer({ now: () => now });
    await server.start();
    client = clientFor(server.botToken);
    const trigger = server.ws.triggers.issue({ user: 'U_BOB' });
    now += 3001;
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal }))).toBe(
      'expired_trigger_id',
    );
  });

  it('updates with hash checks, pushes, and validates views', async () => {
    const opened = await client.views.open({
      trigger_id: server.ws.triggers.issue({ user: 'U_BOB' }),
      view: modal,
    });
    const id = opened.view!.id!;
    expect(await slackError(client.views.update({ view_id: id, hash: 'stale', view: modal }))).toBe(
      'hash_conflict',
    );
    const updated = await client.views.update({
      view_id: id,
      hash: opened.view!.hash!,
      view: { ...modal, blocks: [section('Really?')] },
    });
    expect(updated.view?.id).toBe(id);
    expect(server.view(id)?.view.blocks).toEqual([section('Really?')]);

    const pushed = await client.views.push({
      trigger_id: server.ws.triggers.issue({ user: 'U_BOB', viewId: id }),
      view: modal,
    });
    expect(pushed.view).toMatchObject({ previous_view_id: id, root_view_id: id });

    const longTitle = {
      ...modal,
      title: { type: 'plain_text' as const, text: 'A title far too long for Slack' },
    };
    expect(
      await slackError(
        client.views.open({ trigger_id: server.ws.triggers.issue({ user: 'U_BOB' }), view: longTitle }),
      ),
    ).toBe('invalid_arguments');
  });
});

describe('change feed', () => {
  it('lets tests wait for changes that already happened or are coming', async () => {
    await client.chat.postMessage({ channel: 'C_OPS', text: 'early' });
    const early = await server.waitFor('message_posted', (e) => e.message.text === 'early', 100);
    expect(early.channel).toBe('C_OPS');

    const since = server.seq;
    const later = server.waitFor('message_posted', undefined, { since, timeoutMs: 1000 });
    await client.chat.postMessage({ channel: 'C_GENERAL', text: 'later' });
    expect((await later).message.text).toBe('later');

    const found = await server.waitUntil(() => server.messages('C_GENERAL').find((m) => m.text === 'later'));
    expect(found.user).toBe('U_PANTHEON');
    await expect(server.waitFor('view_opened', undefined, 50)).rejects.toThrow(/no matching event/);
    expect(JSON.parse(JSON.stringify(server.snapshot()))).toEqual(server.snapshot());
  });
});
