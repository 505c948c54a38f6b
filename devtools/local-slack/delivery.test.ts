import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSlackServer } from './server';

/** What the app received. */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Answer {
  status?: number;
  json?: unknown;
  text?: string;
}

/** A tiny stand-in for the app: records each request and answers with `answer(request)`. */
class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received) => Answer = () => ({});
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(request);
        const { status = 200, json, text = '' } = this.answer(request);
        if (json === undefined) res.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
        else res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/slack/events`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }

  last(): Received {
    return this.received.at(-1)!;
  }
}

const SECRET = 'test-signing-secret';
let slack: LocalSlackServer;
let app: Receiver;
let client: WebClient;

beforeEach(async () => {
  app = new Receiver();
  slack = new LocalSlackServer({ signingSecret: SECRET, appUrl: await app.start() });
  await slack.start();
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await slack.close();
  await app.close();
});

/** Bolt's own check, as its receivers run it. */
function verify(request: Received, signingSecret = SECRET): void {
  verifySlackRequest({
    signingSecret,
    body: request.body,
    headers: {
      'x-slack-signature': String(request.headers['x-slack-signature']),
      'x-slack-request-timestamp': Number(request.headers['x-slack-request-timestamp']),
    },
  });
}

const payloadOf = (request: Received): Record<string, unknown> =>
  JSON.parse(new URLSearchParams(request.body).get('payload')!) as Record<string, unknown>;

describe('signing', () => {
  it('signs like Slack: Bolt verifies valid deliveries and rejects wrong or stale ones', async () => {
    await slack.slashCommand({ user: 'U_ALICE', channel: 'C_OPS', text: 'hello' });
    expect(() => verify(app.last())).not.toThrow();
    expect(() => verify(app.last(), 'another-secret')).toThrow(/signature mismatch/);

    await slack.slashCommand({ user: 'U_ALICE', channel: 'C_OPS', text: 'hello' }, { signature: 'wrong' });
    expect(() => verify(app.last())).toThrow(/signature mismatch/);

    await slack.slashCommand({ user: 'U_ALICE', channel: 'C_OPS', text: 'hello' }, { signature: 'stale' });
    expect(() => verify(app.last())).toThrow(/stale/);

    await slack.slashCommand({ user: 'U_ALICE', channel: 'C_OPS', text: 'hello' }, { signature: 'unsigned' });
    expect(app.last().headers['x-slack-signature']).toBeUndefined();
    expect(app.last().headers['x-slack-request-timestamp']).toBeUndefined();
  });
});

describe('slash commands', () => {
  it('sends the form fields, applies the ack and records response_url posts', async () => {
    app.answer = () => ({ json: { text: 'On it…' } });
    const result = await slack.slashCommand({ user: 'U_ALICE', channel: 'C_OPS', text: 'buy a laptop' });

    const form = new URLSearchParams(app.last().body);
    expect(app.last().headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(form)).toMatchObject({
      team_id: 'T_LOCAL',
      user_id: 'U_ALICE',
      user_name: 'alice',
      channel_id: 'C_OPS',
      channel_name: 'ops',
      command: '/pantheon',
      text: 'buy a laptop',
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
    expect(result.status).toBe(200);
    expect(slack.ephemerals({ user: 'U_ALICE' }).map((e) => e.message.text)).toEqual(['On it…']);

    // Later, the app answers through the response_url, as Bolt's respond() does.
    const post = (body: unknown) =>
      fetch(result.responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ text: 'Started request R-1', response_type: 'in_channel' })).status).toBe(200);
    expect((await post({ text: 'Working', replace_original: true })).status).toBe(200);
    expect(slack.messages('C_OPS').map((m) => m.text)).toEqual(['Started request R-1']);
    expect(slack.ephemerals({ user: 'U_ALICE' }).map((e) => e.message.text)).toEqual(['Working']);
    const rejected = await post({});
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toEqual({ ok: false, error: 'no_text' });
    expect(result.responses().map((r) => [r.via, r.outcome])).toEqual([
      ['ack', 'ephemeral'],
      ['response_url', 'in_channel'],
      ['response_url', 'replaced'],
      ['response_url', 'rejected'],
    ]);
  });

  it('issues trigger_ids the app can open a modal with', async () => {
    const { triggerId } = await slack.slashCommand({ user: 'U_BOB', channel: 'C_OPS' });
    const opened = await client.views.open({
      trigger_id: triggerId,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
    });
    expect(slack.view(opened.view!.id!)).toMatchObject({ user: 'U_BOB', open: true });
  });
});

describe('events', () => {
  it('delivers app_mention in an event_callback and re-delivers it as a retry', async () => {
    const first = await slack.appMention({ user: 'U_ALICE', channel: 'C_OPS', text: 'status please' });
    expect(() => verify(app.last())).not.toThrow();
    const envelope = JSON.parse(app.last().body) as Record<string, unknown>;
    expect(app.last().headers['content-type']).toBe('application/json');
    expect(envelope).toMatchObject({
      type: 'event_callback',
      team_id: 'T_LOCAL',
      api_app_id: 'A_PANTHEON',
      event_id: first.eventId,
      authorizations: [{ team_id: 'T_LOCAL', user_id: 'U_PANTHEON', is_bot: true }],
      event: {
        type: 'app_mention',
        user: 'U_ALICE',
        channel: 'C_OPS',
        text: '<@U_PANTHEON> status please',
        ts: first.ts,
      },
    });
    expect(typeof envelope.event_time).toBe('number');
    expect(slack.message('C_OPS', first.ts!)).toMatchObject({
      user: 'U_ALICE',
      text: '<@U_PANTHEON> status please',
    });

    await slack.redeliver(first, { num: 1, reason: 'http_timeout' });
    expect(app.last().headers['x-slack-retry-num']).toBe('1');
    expect(app.last().headers['x-slack-retry-reason']).toBe('http_timeout');
    expect((JSON.parse(app.last().body) as { event_id: string }).event_id).toBe(first.eventId);
    expect(() => verify(app.last())).not.toThrow();

    const second = await slack.appMention({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: 'again',
      threadTs: first.ts!,
    });
    expect(second.eventId).not.toBe(first.eventId);
    expect(second.payload.event).toMatchObject({ thread_ts: first.ts });
  });

  it('delivers reactions and updates the message', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C_FINANCE', text: 'Approve $300?' });
    await slack.addReaction({ user: 'U_CAROL', channel: 'C_FINANCE', ts: ts!, name: 'white_check_mark' });
    expect(JSON.parse(app.last().body)).toMatchObject({
      event: {
        type: 'reaction_added',
        user: 'U_CAROL',
        reaction: 'white_check_mark',
        item_user: 'U_PANTHEON',
        item: { type: 'message', channel: 'C_FINANCE', ts },
      },
    });
    expect(slack.message('C_FINANCE', ts!)?.reactions).toEqual([
      { name: 'white_check_mark', users: ['U_CAROL'], count: 1 },
    ]);
    await slack.removeReaction({ user: 'U_CAROL', channel: 'C_FINANCE', ts: ts!, name: 'white_check_mark' });
    expect((JSON.parse(app.last().body) as { event: { type: string } }).event.type).toBe('reaction_removed');
    expect(slack.message('C_FINANCE', ts!)?.reactions).toBeUndefined();
  });
});

describe('interactions', () => {
  const approval = [
    { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: 'Approve laptop?' } },
    {
      type: 'actions',
      block_id: 'decision',
      elements: [
        {
          type: 'button',
          action_id: 'approve',
          text: { type: 'plain_text', text: 'Approve' },
          value: 'req-1',
          style: 'primary',
        },
        {
          type: 'button',
          action_id: 'reject',
          text: { type: 'plain_text', text: 'Reject' },
          value: 'req-1',
          style: 'danger',
        },
      ],
    },
  ];

  it('clicks a button: block_actions payload, and replace_original through the response_url', async () => {
    const { ts } = await client.chat.postMessage({
      channel: 'C_OPS',
      text: 'Approve laptop?',
      blocks: approval,
    });
    const click = await slack.clickButton({
      user: 'U_BOB',
      channel: 'C_OPS',
      messageTs: ts!,
      actionId: 'approve',
    });
    expect(() => verify(app.last())).not.toThrow();
    const payload = payloadOf(app.last());
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U_BOB', username: 'bob', team_id: 'T_LOCAL' },
      team: { id: 'T_LOCAL' },
      container: { type: 'message', message_ts: ts, channel_id: 'C_OPS', is_ephemeral: false },
      channel: { id: 'C_OPS', name: 'ops' },
      message: { ts, text: 'Approve laptop?' },
      response_url: click.responseUrl,
      trigger_id: click.triggerId,
      actions: [
        { type: 'button', action_id: 'approve', block_id: 'decision', value: 'req-1', style: 'primary' },
      ],
    });

    await fetch(click.responseUrl!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Approved by <@U_BOB>' }),
    });
    expect(slack.message('C_OPS', ts!)).toMatchObject({ text: 'Approved by <@U_BOB>' });
    expect(slack.message('C_OPS', ts!)?.blocks).toBeUndefined();
  });

  it('submits a modal and follows response_action errors, update and close', async () => {
    const { triggerId } = await slack.slashCommand({ user: 'U_ALICE', channel: 'C_OPS' });
    const modal = {
      type: 'modal' as const,
      callback_id: 'request',
      title: { type: 'plain_text' as const, text: 'New request' },
      submit: { type: 'plain_text' as const, text: 'Send' },
      notify_on_close: true,
      blocks: [
        {
          type: 'input',
          block_id: 'what',
          label: { type: 'plain_text', text: 'What' },
          element: { type: 'plain_text_input', action_id: 'text' },
        },
        {
          type: 'input',
          block_id: 'approver',
          label: { type: 'plain_text', text: 'Approver' },
          element: { type: 'users_select', action_id: 'user' },
        },
        {
          type: 'input',
          block_id: 'urgency',
          label: { type: 'plain_text', text: 'Urgency' },
          element: {
            type: 'static_select',
            action_id: 'level',
            options: [
              { text: { type: 'plain_text', text: 'Low' }, value: 'low' },
              { text: { type: 'plain_text', text: 'High' }, value: 'high' },
            ],
          },
        },
      ],
    };
    const viewId = (await client.views.open({ trigger_id: triggerId, view: modal })).view!.id!;

    app.answer = () => ({ json: { response_action: 'errors', errors: { what: 'Say what you need' } } });
    const invalid = await slack.submitView({
      user: 'U_ALICE',
      viewId,
      values: { approver: { user: 'U_BOB' } },
    });
    expect(invalid.outcome).toBe('errors');
    expect(slack.view(viewId)).toMatchObject({ open: true, errors: { what: 'Say what you need' } });
    expect(payloadOf(app.last())).toMatchObject({
      type: 'view_submission',
      view: {
        id: viewId,
        callback_id: 'request',
        state: {
          values: {
            what: { text: { type: 'plain_text_input', value: null } },
            approver: { user: { type: 'users_select', selected_user: 'U_BOB' } },
            urgency: { level: { type: 'static_select', selected_option: null } },
          },
        },
      },
    });

    app.answer = () => ({
      json: { response_action: 'update', view: { ...modal, blocks: modal.blocks.slice(0, 1) } },
    });
    const values = { what: { text: 'A laptop' }, approver: { user: 'U_BOB' }, urgency: { level: 'high' } };
    expect((await slack.submitView({ user: 'U_ALICE', viewId, values })).outcome).toBe('updated');
    const submitted = payloadOf(app.last()) as {
      view: { state: { values: Record<string, Record<string, unknown>> } };
    };
    expect(submitted.view.state.values.urgency).toEqual({
      level: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'High' }, value: 'high' },
      },
    });
    expect(slack.view(viewId)?.view.blocks).toHaveLength(1);

    app.answer = () => ({});
    expect(
      (await slack.submitView({ user: 'U_ALICE', viewId, values: { what: { text: 'A laptop' } } })).outcome,
    ).toBe('closed');
    expect(slack.view(viewId)?.open).toBe(false);
    await expect(slack.submitView({ user: 'U_ALICE', viewId })).rejects.toThrow(/not open/);
  });

  it('tells the app about a closed modal only when it asked to be notified', async () => {
    const open = async (notify: boolean) => {
      const trigger = slack.ws.triggers.issue({ user: 'U_BOB' });
      const view = {
        type: 'modal' as const,
        title: { type: 'plain_text' as const, text: 'X' },
        blocks: [],
        notify_on_close: notify,
      };
      return (await client.views.open({ trigger_id: trigger, view })).view!.id!;
    };
    expect(await slack.closeView({ user: 'U_BOB', viewId: await open(false) })).toBeUndefined();
    const count = app.received.length;
    const delivered = await slack.closeView({ user: 'U_BOB', viewId: await open(true) });
    expect(delivered?.status).toBe(200);
    expect(app.received).toHaveLength(count + 1);
    expect(payloadOf(app.last())).toMatchObject({
      type: 'view_closed',
      is_cleared: false,
      user: { id: 'U_BOB' },
    });
  });
});
