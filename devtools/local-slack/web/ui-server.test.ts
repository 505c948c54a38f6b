import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LocalSlackEvent } from '../change-feed';
import { type DemoApp, startDemoApp } from './demo-app';
import { type LocalWorkspace, composeUserText, startLocalWorkspace } from '.';

// The page's HTTP/WebSocket API against a real Bolt app, without a browser (the browser test
// in tests/browser-local-slack.test.ts drives the same flows through the page).
let workspace: LocalWorkspace;
let demo: DemoApp;
const replies: { raw: Buffer; to: string[] }[] = [];

beforeAll(async () => {
  workspace = await startLocalWorkspace({
    deliverReply: async (raw, envelope) => void replies.push({ raw, to: envelope.to }),
  });
  demo = await startDemoApp(workspace);
});

afterAll(async () => {
  await demo.stop();
  await workspace.close();
});

async function post(
  action: string,
  body: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${workspace.url}ui/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The page's WebSocket: every event it is sent. */
async function feed(since: number): Promise<{ events: LocalSlackEvent[]; mail: unknown[]; close(): void }> {
  const events: LocalSlackEvent[] = [];
  const mail: unknown[] = [];
  const socket = new WebSocket(`${workspace.url.replace('http', 'ws')}ui/ws?since=${since}`);
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { kind: string; event: LocalSlackEvent };
      if (message.kind === 'slack') events.push(message.event);
      if (message.kind === 'mail') mail.push(message.event);
      if (message.kind === 'ready') resolve();
    });
    socket.on('error', reject);
  });
  return { events, mail, close: () => socket.close() };
}

async function until<T>(find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the page', () => {
  it('serves the shell, the bundled script and the styles', async () => {
    const page = await fetch(workspace.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script type="module" src="/ui/app.js"></script>');
    const script = await fetch(`${workspace.url}ui/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const code = await script.text();
    expect(code).toContain('function renderMrkdwn');
    expect(code).not.toMatch(/^import /m);
    expect((await fetch(`${workspace.url}ui/app.css`)).status).toBe(200);
    expect((await fetch(`${workspace.url}ui/nope`)).status).toBe(404);
    // The Web API is untouched.
    expect(await (await fetch(`${workspace.apiUrl}api.test`, { method: 'POST' })).json()).toMatchObject({
      ok: true,
    });
  });

  it('gives the first frame: workspace, messages and mail settings', async () => {
    const state = (await (await fetch(`${workspace.url}ui/api/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({
      ok: true,
      team: { name: 'Pantheon Local' },
      mail: { enabled: true, domain: 'example.com', canReply: true },
    });
    expect(state.users).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'U_BOB' })]));
    expect(typeof state.seq).toBe('number');
  });
});

describe('what a person does, through the page API', () => {
  it('runs /pantheon, clicks, reacts, mentions and fills a modal, with live events', async () => {
    const live = await feed(workspace.slack.seq);
    try {
      expect(
        (await post('send', { user: 'U_ALICE', channel: 'C_OPS', text: '/pantheon buy a laptop' })).json,
      ).toMatchObject({ ok: true, status: 200 });
      const posted = await until(() =>
        live.events.find((e) => e.type === 'message_posted' && !!e.message.blocks),
      );
      if (posted.type !== 'message_posted') throw new Error('unreachable');
      await until(() =>
        live.events.find((e) => e.type === 'ephemeral_posted' && e.ephemeral.user === 'U_ALICE'),
      );
      expect(live.events.some((e) => e.type === 'api_call')).toBe(false);
      const ts = posted.message.ts;

      expect(
        (
          await post('click', {
            user: 'U_BOB',
            channel: 'C_OPS',
            messageTs: ts,
            actionId: 'approve',
            blockId: 'decision',
          })
        ).json,
      ).toMatchObject({ ok: true });
      const updated = await until(() => live.events.find((e) => e.type === 'message_updated'));
      expect(updated).toMatchObject({ message: { text: 'Approved by <@U_BOB>' } });

      expect((await post('react', { user: 'U_BOB', channel: 'C_OPS', ts, name: '+1' })).json).toMatchObject({
        ok: true,
      });
      expect(
        (await post('react', { user: 'U_BOB', channel: 'C_OPS', ts, name: '+1', add: true })).json,
      ).toMatchObject({ ok: true, changed: false });
      expect(workspace.slack.message('C_OPS', ts)?.reactions).toEqual([
        { name: '+1', users: ['U_BOB'], count: 1 },
      ]);
      expect((await post('react', { user: 'U_BOB', channel: 'C_OPS', ts, name: '+1' })).json).toMatchObject({
        ok: true,
      });
      expect(workspace.slack.message('C_OPS', ts)?.reactions).toBeUndefined();

      const mention = await post('send', {
        user: 'U_CAROL',
        channel: 'C_GENERAL',
        text: '@pantheon hi <b> & @bob',
      });
      expect(mention.json).toMatchObject({ ok: true });
      const asked = workspace.slack.message('C_GENERAL', String(mention.json.ts));
      expect(asked?.text).toBe('<@U_PANTHEON> hi &lt;b&gt; &amp; <@U_BOB>');
      await until(() => workspace.slack.thread('C_GENERAL', String(mention.json.ts))[1]);

      await post('click', {
        user: 'U_BOB',
        channel: 'C_OPS',
        messageTs: ts,
        actionId: 'details',
        blockId: 'summary',
      });
      const opened = await until(() => live.events.find((e) => e.type === 'view_opened'));
      if (opened.type !== 'view_opened') throw new Error('unreachable');
      const viewId = opened.view.id;
      const values = {
        reason_block: { reason: 'New hire' },
        amount_block: { amount: '9000' },
        priority_block: { priority: 'urgent' },
        flags_block: { flags: ['recurring'] },
      };
      expect((await post('submit', { user: 'U_BOB', viewId, values })).json).toMatchObject({
        ok: true,
        outcome: 'errors',
        errors: { amount_block: 'Amounts over $5,000 need a finance approver.' },
      });
      await until(() => live.events.find((e) => e.type === 'view_errors'));
      const done = await post('submit', {
        user: 'U_BOB',
        viewId,
        values: { ...values, amount_block: { amount: '1500' } },
      });
      expect(done.json).toMatchObject({ ok: true, outcome: 'closed' });
      await until(() => live.events.find((e) => e.type === 'view_closed'));
      await until(() => workspace.slack.messages('C_OPS').find((m) => m.text.includes('added details')));
    } finally {
      live.close();
    }
  });

  it('opens the DM with the app, and refuses what no person could do', async () => {
    expect((await post('open-dm', { user: 'U_CAROL' })).json).toMatchObject({
      ok: true,
      channel: { kind: 'im', imUser: 'U_CAROL' },
    });
    expect((await post('send', { user: 'U_PANTHEON', channel: 'C_OPS', text: 'hi' })).status).toBe(400);
    expect((await post('send', { user: 'U_NOBODY', channel: 'C_OPS', text: 'hi' })).status).toBe(400);
    expect((await post('send', { user: 'U_ALICE', channel: 'C_OPS', text: '   ' })).status).toBe(400);
    expect(
      (await post('click', { user: 'U_ALICE', channel: 'C_OPS', messageTs: '1.000', actionId: 'approve' }))
        .status,
    ).toBe(400);
    expect((await post('nonsense', { user: 'U_ALICE' })).status).toBe(400);
    expect(
      (await post('send', { user: 'U_ALICE', channel: 'C_OPS', text: '/deploy now' })).json,
    ).toMatchObject({
      ok: false,
      error: 'invalid_command',
      message: expect.stringContaining('/deploy is not a valid command'),
    });
  });

  it('reads mail in the Inbox and replies through the reply hook', async () => {
    const live = await feed(workspace.slack.seq);
    try {
      const transport = createTransport(workspace.smtpUrl);
      await transport.sendMail({
        from: 'Pantheon <pantheon@localhost>',
        to: 'carol@example.com',
        replyTo: 'approvals+x1@replies.example.com',
        subject: 'Approval needed: <budget>',
        text: 'Reply approve',
        html: '<p>Reply <b>approve</b></p><script>alert(1)</script><a href="https://example.com">link</a>',
      });
      transport.close();
      await until(() => live.mail.length > 0);
      const list = (await (await fetch(`${workspace.url}ui/api/mail?address=carol@example.com`)).json()) as {
        mails: { id: string; subject: string }[];
      };
      const mail = list.mails.find((m) => m.subject === 'Approval needed: <budget>');
      expect(mail).toBeDefined();
      const html = await fetch(`${workspace.url}ui/mail/${mail!.id}/html`);
      expect(html.headers.get('content-security-policy')).toMatch(
        /^sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'/,
      );
      expect(await html.text()).toContain('<base target="_blank">');
      const raw = await fetch(`${workspace.url}ui/mail/${mail!.id}/raw`);
      expect(await raw.text()).toContain('Subject: Approval needed: <budget>');

      const reply = await post('mail/reply', { user: 'U_CAROL', id: mail!.id, text: 'approve' });
      expect(reply.json).toMatchObject({
        ok: true,
        reply: { status: 'delivered', to: ['approvals+x1@replies.example.com'] },
      });
      expect(replies.at(-1)?.to).toEqual(['approvals+x1@replies.example.com']);
      expect(replies.at(-1)?.raw.toString()).toMatch(/^DKIM-Signature: .*d=example\.com/);
      await until(() => live.mail.find((e) => (e as { type: string }).type === 'mail_reply'));
    } finally {
      live.close();
    }
  });

  it('reports an app that does not answer the way Slack does', async () => {
    await demo.stop();
    try {
      const result = await post('send', { user: 'U_ALICE', channel: 'C_OPS', text: '/pantheon anything' });
      expect(result.json).toMatchObject({ ok: false, error: 'dispatch_failed', command: '/pantheon' });
      // A plain message still lands in the channel even if the app never hears of it.
      const plain = await post('send', { user: 'U_ALICE', channel: 'C_OPS', text: 'is anyone there?' });
      expect(plain.json).toMatchObject({ ok: false, error: 'dispatch_failed' });
      expect(workspace.slack.messages('C_OPS').some((m) => m.text === 'is anyone there?')).toBe(true);
    } finally {
      demo = await startDemoApp(workspace);
    }
  });
});

describe('composeUserText', () => {
  it('escapes like Slack’s client and turns @names into mentions', () => {
    const users = [
      { id: 'U_BOB', name: 'bob' },
      { id: 'U_PANTHEON', name: 'pantheon' },
    ];
    expect(composeUserText('@pantheon <b>hi</b> & bye', users)).toBe(
      '<@U_PANTHEON> &lt;b&gt;hi&lt;/b&gt; &amp; bye',
    );
    expect(composeUserText('ask @Bob. or @here, not me@bob.com or @nobody', users)).toBe(
      'ask <@U_BOB>. or <!here>, not me@bob.com or @nobody',
    );
  });
});
