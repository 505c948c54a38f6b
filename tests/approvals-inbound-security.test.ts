import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GmailPoller } from '../approvals/inbound/gmail-poller';
import type { InboundReply } from '../approvals/inbound/reply-handler';
import { ReplyHandler } from '../approvals/inbound/reply-handler';
import { startInboundSmtp } from '../approvals/inbound/smtp-server';
import type { ApprovalOptions } from '../approvals/models';
import { FakeGmail } from '../approvals/testing/fake-gmail';
import { startApprovalHarness } from '../approvals/testing/harness';
import type { ApprovalHarness } from '../approvals/testing/harness';
import type { CapturedMail } from '../approvals/testing/mail-capture';
import { createApprovalBotServices } from '../approvals/wiring';
import { createGmailClient } from '../tools/gmail/client';

/**
 * What an attacker can reach: the bot's inbound SMTP server, the Gmail path and the email-link
 * routes. Everything real (Temporal, Postgres, SMTP both ways); limits come from the approvals
 * settings through `createApprovalBotServices`, as in the bot.
 */
let h: ApprovalHarness;
let gmail: FakeGmail;
let services: ReturnType<typeof createApprovalBotServices>;
let inbound: { smtpPort?: number; stop(): Promise<void> };

// The approvers' mail domain signs with this key; our DNS table publishes it with DMARC p=reject.
const dkim = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'der' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const records = [
  {
    name: 'mail._domainkey.example.com',
    type: 'TXT',
    value: `v=DKIM1; k=rsa; p=${dkim.publicKey.toString('base64')}`,
  },
  { name: '_dmarc.example.com', type: 'TXT', value: 'v=DMARC1; p=reject' },
  { name: 'example.com', type: 'TXT', value: 'v=spf1 -all' },
];
const resolver = async (name: string, type: string) => {
  const found = records.filter((r) => r.name === name.toLowerCase() && r.type === type);
  if (found.length) return found.map((r) => [r.value]);
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

/** The bot's approval services with these settings on top of the harness's. */
function botServices(settings: Record<string, unknown>): ReturnType<typeof createApprovalBotServices> {
  return createApprovalBotServices({
    config: {
      ...h.config,
      INBOUND_SMTP_PORT: 0,
      INBOUND_SMTP_HOST: '127.0.0.1',
      INBOUND_SMTP_HOSTNAME: 'mx.pantheon.test',
      LOCAL_MAIL_DNS_RECORDS: JSON.stringify(records),
      ...settings,
    },
    db: h.db,
    client: h.client,
  });
}

beforeAll(async () => {
  h = await startApprovalHarness({ temporalAddress: inject('temporalAddress') });
  // Everything here comes from 127.0.0.1: generous per-address limits, except where a test sets its own.
  services = botServices({
    INBOUND_SMTP_CONNECTIONS_PER_MINUTE: 10_000,
    INBOUND_SMTP_MESSAGES_PER_MINUTE: 10_000,
    INBOUND_UNAUTHENTICATED_PER_HOUR: 10_000,
  });
  inbound = await services.startInbound();
  gmail = new FakeGmail();
  await gmail.start();
});
afterAll(async () => {
  await inbound?.stop();
  await gmail?.close();
  await h?.close();
});

interface Requested {
  handle: Awaited<ReturnType<ApprovalHarness['probe']>>;
  requestId: string;
  mail: CapturedMail;
  approve: string;
  replyTo: string;
}

async function requestByEmail(
  overrides: Partial<ApprovalOptions> = {},
  to = 'carol@example.com',
): Promise<Requested> {
  const title = `Invoice ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  const handle = await h.probe({
    title,
    details: 'Pay Acme 1,200 EUR',
    approvers: { emails: [to] },
    timeout: '2 hours',
    ...overrides,
  });
  const mail = await h.mail.waitFor((m) => m.to.includes(to) && (m.parsed.subject ?? '').includes(title));
  const approve = /^Approve: (\S+)$/m.exec(mail.parsed.text ?? '')![1]!;
  return {
    handle,
    requestId: `${handle.workflowId}/approval-1`,
    mail,
    approve,
    replyTo: mail.parsed.replyTo!.value[0]!.address!,
  };
}

/** A raw RFC 5322 reply as a mail client writes it; `sign` adds example.com's DKIM signature. */
async function compose(options: {
  from: string;
  to: string;
  text: string;
  sign?: boolean;
  headers?: Record<string, string>;
  messageId?: string;
}): Promise<Buffer> {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const { message } = (await builder.sendMail({
    from: options.from,
    to: options.to,
    subject: 'Re: Approval needed',
    text: options.text,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.messageId ? { messageId: options.messageId } : {}),
    ...(options.sign
      ? { dkim: { domainName: 'example.com', keySelector: 'mail', privateKey: dkim.privateKey } }
      : {}),
  })) as unknown as { message: Buffer };
  return message;
}

/** A hand-driven SMTP client: every reply as `code text`, so tests see exactly what the server said. */
class RawSmtp {
  #buffer = '';
  #waiting: (() => void) | undefined;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString('latin1');
      this.#waiting?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#waiting?.();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawSmtp> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawSmtp(socket);
  }

  /** The next complete reply (the last line of a multi-line one), e.g. `250 OK`. */
  async reply(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = /^(\d{3}) [^\r\n]*\r\n/m.exec(this.#buffer);
      if (match) {
        this.#buffer = this.#buffer.slice(match.index + match[0].length);
        return match[0].trim();
      }
      if (this.closed) return 'closed';
      if (Date.now() > deadline) throw new Error(`no SMTP reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
        setTimeout(resolve, 100);
      });
    }
  }

  async command(line: string): Promise<string> {
    await this.write(`${line}\r\n`);
    return this.reply();
  }

  async write(data: string | Buffer): Promise<void> {
    if (!this.socket.write(data)) await new Promise((resolve) => this.socket.once('drain', resolve));
  }

  /** EHLO, MAIL FROM, RCPT TO and DATA; resolves to the answer to the message. */
  async send(raw: Buffer, envelope: { from: string; to: string }): Promise<string> {
    const mailFrom = await this.command(`MAIL FROM:<${envelope.from}>`);
    if (!mailFrom.startsWith('250')) return mailFrom;
    expect(await this.command(`RCPT TO:<${envelope.to}>`)).toMatch(/^250/);
    expect(await this.command('DATA')).toMatch(/^354/);
    const body = raw.toString('latin1').replace(/^\./gm, '..'); // dot-stuffing
    await this.write(Buffer.from(`${body.endsWith('\r\n') ? body : `${body}\r\n`}.\r\n`, 'latin1'));
    return this.reply(30_000);
  }

  async quit(): Promise<void> {
    if (!this.closed) this.socket.end('QUIT\r\n');
    this.socket.destroy();
  }
}

async function greeted(port: number): Promise<RawSmtp> {
  const client = await RawSmtp.open(port);
  expect(await client.reply()).toMatch(/^220/);
  expect(await client.command('EHLO mail.example.com')).toMatch(/^250/);
  return client;
}

/** Delivers one message on its own connection to the bot's inbound SMTP server; the server's answer. */
async function deliver(
  raw: Buffer,
  envelope: { from: string; to: string },
  port = inbound.smtpPort!,
): Promise<string> {
  const client = await greeted(port);
  try {
    return await client.send(raw, envelope);
  } finally {
    await client.quit();
  }
}

async function refusals(requestId: string): Promise<unknown[]> {
  return (await h.store.events({ requestId, kind: 'refused' })).map((e) => e.detail.reason);
}

const couldNotRead = (requestId: string) => (m: CapturedMail) =>
  m.to.includes('carol@example.com') &&
  /could not read a decision/i.test(m.parsed.text ?? '') &&
  m.parsed.headers.get('x-pantheon-approval') === requestId;

describe('message size', () => {
  it('refuses a 12 MB message with 552 before it is held in memory or parsed, whatever SIZE the client announced', async () => {
    const seen: InboundReply[] = [];
    const handler = new ReplyHandler({
      db: h.db,
      decider: h.decider,
      tokens: h.tokens,
      replyDomain: h.config.APPROVALS_REPLY_DOMAIN!,
    });
    const smtp = await startInboundSmtp({
      port: 0,
      host: '127.0.0.1',
      hostname: 'mx.pantheon.test',
      resolver,
      handler: { handle: (reply) => (seen.push(reply), handler.handle(reply)) },
      limits: { maxMessageBytes: 1024 * 1024 },
    });
    try {
      const r = await requestByEmail();
      const line = `${'x'.repeat(998)}\r\n`;
      const big = Buffer.concat([
        await compose({ from: 'carol@example.com', to: r.replyTo, text: 'approve', sign: true }),
        Buffer.from(line.repeat(12_600)),
      ]);
      expect(big.length).toBeGreaterThan(12 * 1024 * 1024);

      // Announced honestly: refused at MAIL FROM.
      const client = await greeted(smtp.port);
      expect(await client.command(`MAIL FROM:<carol@example.com> SIZE=${big.length}`)).toMatch(/^552/);
      // Not announced: read to the final dot (SMTP has to), never kept, then 552.
      expect(await client.command('RSET')).toMatch(/^250/);
      expect(await client.send(big, { from: 'carol@example.com', to: r.replyTo })).toMatch(/^552 /);
      await client.quit();

      expect(seen).toEqual([]);
      expect(smtp.stats.tooBig).toBe(1);
      expect(smtp.stats.peakBufferedBytes).toBeLessThanOrEqual(1024 * 1024);
      expect((await h.store.get(r.requestId))!.status).toBe('pending');
      // A message under the limit still gets through.
      expect(
        await deliver(
          await compose({ from: 'carol@example.com', to: r.replyTo, text: 'approve', sign: true }),
          { from: 'carol@example.com', to: r.replyTo },
          smtp.port,
        ),
      ).toMatch(/^250/);
      expect(seen).toHaveLength(1);
      expect(await r.handle.result()).toMatchObject({ decision: 'approved', via: 'email-reply' });
    } finally {
      await smtp.close();
    }
  });
});

describe('connection and rate limits', () => {
  it('answers 421 past the connection cap and past the per-address connection rate, 451 past the message and unauthenticated rates', async () => {
    const limited = botServices({
      INBOUND_SMTP_MAX_CLIENTS: 2,
      INBOUND_SMTP_CONNECTIONS_PER_MINUTE: 3,
      INBOUND_SMTP_MESSAGES_PER_MINUTE: 3,
      INBOUND_UNAUTHENTICATED_PER_HOUR: 1,
    });
    const running = await limited.startInbound();
    const port = running.smtpPort!;
    const clients: RawSmtp[] = [];
    try {
      // Connections 1 and 2 are served; 3 is over INBOUND_SMTP_MAX_CLIENTS while they stay open.
      clients.push(await greeted(port), await greeted(port));
      const third = await RawSmtp.open(port);
      expect(await third.reply()).toMatch(/^421 .*too many connected clients/i);
      await third.quit();

      // Messages: an unauthenticated one counts against INBOUND_UNAUTHENTICATED_PER_HOUR (1).
      const [first] = clients;
      const unsigned = await compose({
        from: 'carol@example.com',
        to: 'approvals+nothing@replies.pantheon.test',
        text: 'approve',
      });
      expect(
        await first!.send(unsigned, {
          from: 'carol@example.com',
          to: 'approvals+nothing@replies.pantheon.test',
        }),
      ).toMatch(/^250/);
      expect(await first!.command('MAIL FROM:<carol@example.com>')).toMatch(/^451 .*unauthenticated/i);
      for (const client of clients) await client.quit();

      // The one refused for the cap did not count: connection 4 is the third (and last) this minute, 5 gets 421.
      const fourth = await greeted(port);
      await fourth.quit();
      const fifth = await RawSmtp.open(port);
      expect(await fifth.reply()).toMatch(/^421 .*too many connections/i);
      await fifth.quit();
    } finally {
      for (const client of clients) await client.quit();
      await running.stop();
    }

    // Messages per minute, on a server of its own: the fourth MAIL FROM of a minute gets 451.
    const messages = botServices({ INBOUND_SMTP_MESSAGES_PER_MINUTE: 3 });
    const other = await messages.startInbound();
    try {
      const client = await greeted(other.smtpPort!);
      for (let i = 0; i < 3; i++) {
        expect(await client.command('MAIL FROM:<carol@example.com>')).toMatch(/^250/);
        expect(await client.command('RSET')).toMatch(/^250/);
      }
      expect(await client.command('MAIL FROM:<carol@example.com>')).toMatch(/^451 .*too many messages/i);
      await client.quit();
    } finally {
      await other.stop();
    }
  });
});

describe('unknown tokens', () => {
  it('leave no audit row and no inbound-message row, however many arrive', async () => {
    const ids: string[] = [];
    for (const token of [
      'k2-aaaaaaaaaaaaaaaa-aaaaaaaaaaaaaaaaaaaaaaaa',
      'garbage',
      'k9-bbbbbbbbbbbbbbbb-bbbbbbbbbbbbbbbbbbbbbbbb',
    ]) {
      const to = `approvals+${token}@replies.pantheon.test`;
      const messageId = `<unknown-${token}-${Date.now()}@example.com>`;
      ids.push(messageId);
      expect(
        await deliver(
          await compose({ from: 'carol@example.com', to, text: 'approve', sign: true, messageId }),
          { from: 'carol@example.com', to },
        ),
      ).toMatch(/^250/);
    }
    const events = await h.db.query(`SELECT 1 FROM approval_events WHERE detail->>'messageId' = ANY($1)`, [
      ids,
    ]);
    expect(events.rows).toHaveLength(0);
    const remembered = await h.db.query(
      'SELECT 1 FROM approval_inbound_messages WHERE message_id = ANY($1)',
      [ids],
    );
    expect(remembered.rows).toHaveLength(0);
  });
});

describe('auto-replies', () => {
  it('never decide and are never answered', async () => {
    const r = await requestByEmail();
    const autoHeaders: Record<string, string>[] = [
      { 'Auto-Submitted': 'auto-replied' },
      { 'Auto-Submitted': 'auto-generated; owner-email="carol@example.com"' },
      { 'X-Autoreply': 'yes' },
      { 'X-Autorespond': 'Out of office' },
      { Precedence: 'bulk' },
      { Precedence: 'auto_reply' },
      { Precedence: 'junk' },
      { 'List-Id': '<finance.example.com>' },
      { 'List-Unsubscribe': '<mailto:leave@example.com>' },
    ];
    for (const headers of autoHeaders) {
      const raw = await compose({
        from: 'carol@example.com',
        to: r.replyTo,
        text: 'approve',
        sign: true,
        headers,
      });
      expect(await deliver(raw, { from: 'carol@example.com', to: r.replyTo })).toMatch(/^250/);
    }
    // A bounce: the null return path, and one from MAILER-DAEMON.
    expect(
      await deliver(
        await compose({ from: 'carol@example.com', to: r.replyTo, text: 'approve', sign: true }),
        { from: '', to: r.replyTo },
      ),
    ).toMatch(/^250/);
    expect(
      await deliver(
        await compose({ from: 'MAILER-DAEMON@example.com', to: r.replyTo, text: 'yes', sign: true }),
        { from: 'mailer-daemon@example.com', to: r.replyTo },
      ),
    ).toMatch(/^250/);
    // Gmail applies the same rule.
    gmail.deliver(
      `Delivered-To: pantheon@replies.pantheon.test\r\n${(await compose({ from: 'carol@example.com', to: r.replyTo, text: 'approve', sign: true, headers: { 'Auto-Submitted': 'auto-replied' } })).toString()}`,
    );
    await poller().pollOnce();

    const request = (await h.store.get(r.requestId))!;
    expect(request.status).toBe('pending');
    expect(await h.store.events({ requestId: r.requestId, kind: 'vote' })).toHaveLength(0);
    expect(await refusals(r.requestId)).toEqual([]);
    expect(h.mail.mails.filter(couldNotRead(r.requestId))).toHaveLength(0);

    // "Auto-Submitted: no" is a person's mail.
    await deliver(
      await compose({
        from: 'carol@example.com',
        to: r.replyTo,
        text: 'approve',
        sign: true,
        headers: { 'Auto-Submitted': 'no' },
      }),
      { from: 'carol@example.com', to: r.replyTo },
    );
    expect(await r.handle.result()).toMatchObject({ decision: 'approved', via: 'email-reply' });
  });
});

describe('the decision line', () => {
  it.each([
    'approve?',
    'yes, but only after the audit',
    'I think I approve',
    'maybe',
    'not approve',
    'approve or reject?',
  ])('the hedged %j decides nothing and gets one "could not read a decision" mail', async (text) => {
    const r = await requestByEmail();
    const raw = await compose({
      from: 'Carol Chen <carol@example.com>',
      to: r.replyTo,
      text: `${text}\n\nOn Tue, Pantheon wrote:\n> approve\n`,
      sign: true,
    });
    expect(await deliver(raw, { from: 'carol@example.com', to: r.replyTo })).toMatch(/^250/);
    // The same message again (a retried delivery) is not answered twice.
    expect(await deliver(raw, { from: 'carol@example.com', to: r.replyTo })).toMatch(/^250/);

    const answer = await h.mail.waitFor(couldNotRead(r.requestId));
    expect(answer.parsed.text).toContain('APPROVE   or   REJECT');
    expect(answer.parsed.text).toContain('reject - too expensive');
    expect(answer.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(answer.parsed.replyTo!.value[0]!.address).toBe(r.replyTo);
    expect(answer.from).toBe('pantheon@pantheon.test'); // the approval emails' mailer and sender
    const refused = await h.store.events({ requestId: r.requestId, kind: 'refused' });
    expect(refused.map((e) => [e.detail.reason, e.detail.answered])).toEqual([['no-decision', 'sent']]);
    expect((await h.store.get(r.requestId))!.status).toBe('pending');
    expect(h.mail.mails.filter(couldNotRead(r.requestId))).toHaveLength(1);

    // The address still works: a plain answer decides.
    await deliver(
      await compose({
        from: 'carol@example.com',
        to: r.replyTo,
        text: 'reject - asked in person instead',
        sign: true,
      }),
      { from: 'carol@example.com', to: r.replyTo },
    );
    expect(await r.handle.result()).toMatchObject({
      decision: 'rejected',
      comment: 'asked in person instead',
    });
  });

  it.each([
    ['approve', 'approved', undefined],
    ['Approved.', 'approved', undefined],
    ['reject - too expensive', 'rejected', 'too expensive'],
    ['yes', 'approved', undefined],
  ])('the plain %j decides', async (text, decision, comment) => {
    const r = await requestByEmail();
    await deliver(
      await compose({ from: 'carol@example.com', to: r.replyTo, text: `${text}\n-- \nCarol`, sign: true }),
      { from: 'carol@example.com', to: r.replyTo },
    );
    const result = await r.handle.result();
    expect(result).toMatchObject({ decision, via: 'email-reply', decidedBy: 'email:carol@example.com' });
    expect((result as { comment?: string }).comment).toBe(comment);
    expect(h.mail.mails.filter(couldNotRead(r.requestId))).toHaveLength(0);
  });
});

function poller(): GmailPoller {
  const client = createGmailClient({
    ...h.config,
    GMAIL_CLIENT_ID: 'client',
    GMAIL_CLIENT_SECRET: 'secret',
    GMAIL_REFRESH_TOKEN: 'refresh',
    GMAIL_ROOT_URL: gmail.url,
    GMAIL_TOKEN_URL: `${gmail.url}token`,
  });
  const replies = new ReplyHandler({
    db: h.db,
    decider: h.decider,
    tokens: h.tokens,
    replyDomain: h.config.APPROVALS_REPLY_DOMAIN!,
    mailer: h.mailer,
  });
  return new GmailPoller({
    gmail: client,
    handler: replies,
    user: 'me',
    query: 'is:unread',
    authservId: 'mx.google.com',
    intervalMs: 50,
    resolver,
  });
}

describe('Gmail: our own DKIM/DMARC check on the raw message', () => {
  const forged =
    'Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=mail header.b=abc;\r\n       spf=pass smtp.mailfrom=carol@example.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com\r\n';

  it('does not decide on a forged Authentication-Results without a valid DKIM signature; decides on a valid one alone', async () => {
    const spoofed = await requestByEmail();
    const genuine = await requestByEmail();
    gmail.deliver(
      `Delivered-To: pantheon@replies.pantheon.test\r\n${forged}${(await compose({ from: 'carol@example.com', to: spoofed.replyTo, text: 'approve' })).toString()}`,
    );
    // Signed by example.com, and Gmail's header missing altogether: our verdict is enough.
    gmail.deliver(
      `Delivered-To: pantheon@replies.pantheon.test\r\n${(await compose({ from: 'carol@example.com', to: genuine.replyTo, text: 'approve', sign: true })).toString()}`,
    );
    const before = gmail.requests.length;
    expect(await poller().pollOnce()).toBe(2);

    expect(await refusals(spoofed.requestId)).toEqual(['unauthenticated']);
    const [refusal] = await h.store.events({ requestId: spoofed.requestId, kind: 'refused' });
    expect(refusal!.detail.authentication).toMatch(/^dmarc=fail dkim=none/);
    expect((await h.store.get(spoofed.requestId))!.status).toBe('pending');
    expect(await genuine.handle.result()).toMatchObject({ decision: 'approved', via: 'email-reply' });
    const gets = gmail.requests
      .slice(before)
      .filter((q) => q.method === 'GET' && /\/messages\/[^/]+$/.test(q.path));
    expect(gets.length).toBe(2);
    for (const get of gets) expect(get.query).toContain('format=raw');
    await spoofed.handle.cancel();
  });
});

describe('email links', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // The bot's own link handler, with a budget of 3 requests a minute per address.
    const { httpHandler } = botServices({ APPROVAL_LINK_REQUESTS_PER_MINUTE: 3 });
    server = createServer((req, res) => void httpHandler!(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('answer 429 with a clear page once a client address is over its budget, GET and POST alike, and decide nothing', async () => {
    const r = await requestByEmail();
    const link = new URL(r.approve);
    const local = `${base}${link.pathname}${link.search}`;
    for (let i = 0; i < 3; i++) expect((await fetch(local)).status).toBe(200);
    const get = await fetch(local);
    expect(get.status).toBe(429);
    expect(Number(get.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await get.text()).toContain('Nothing was decided: too many requests came from your address.');

    const form = new URLSearchParams({
      r: link.searchParams.get('r')!,
      t: link.searchParams.get('t')!,
      d: 'approve',
    });
    const post = await fetch(`${base}/approvals/decide`, {
      method: 'POST',
      body: form,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(429);
    expect(await post.text()).toContain('Too many requests');
    expect((await h.store.get(r.requestId))!.status).toBe('pending');
    expect(await h.store.events({ requestId: r.requestId, kind: 'vote' })).toHaveLength(0);
    expect(await refusals(r.requestId)).toEqual([]);
    await r.handle.cancel();
  });

  it('a POST with a token that names no request writes no audit row under the request id it claims', async () => {
    // Its own server: the budget of the test above is spent for this address.
    const { httpHandler } = botServices({ APPROVAL_LINK_REQUESTS_PER_MINUTE: 100 });
    const own = createServer((req, res) => void httpHandler!(req, res));
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    try {
      const r = await requestByEmail();
      const url = `http://127.0.0.1:${(own.address() as AddressInfo).port}/approvals/decide`;
      for (const t of ['k2-aaaaaaaaaaaaaaaa-aaaaaaaaaaaaaaaaaaaaaaaa', 'garbage']) {
        const post = await fetch(url, {
          method: 'POST',
          body: new URLSearchParams({ r: r.requestId, t, d: 'approve' }),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        expect(post.status).toBe(400);
        expect(await post.text()).toContain('Nothing was decided');
      }
      expect(await refusals(r.requestId)).toEqual([]);
      expect((await h.store.get(r.requestId))!.status).toBe('pending');
      await r.handle.cancel();
    } finally {
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
    }
  });
});
