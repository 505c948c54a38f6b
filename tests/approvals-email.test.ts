import { generateKeyPairSync } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GmailPoller } from '../approvals/inbound/gmail-poller';
import { ReplyHandler } from '../approvals/inbound/reply-handler';
import { startInboundSmtp } from '../approvals/inbound/smtp-server';
import type { InboundSmtp } from '../approvals/inbound/smtp-server';
import type { ApprovalOptions, ApprovalResult } from '../approvals/models';
import { FakeGmail } from '../approvals/testing/fake-gmail';
import { startApprovalHarness, waitUntil } from '../approvals/testing/harness';
import type { ApprovalHarness } from '../approvals/testing/harness';
import type { CapturedMail } from '../approvals/testing/mail-capture';
import { createGmailClient } from '../tools/gmail/client';

let h: ApprovalHarness;
let inbound: InboundSmtp;
let gmail: FakeGmail;
let replies: ReplyHandler;

// The approvers' mail domain signs with this key; our DNS table publishes it with DMARC p=reject.
const dkim = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'der' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const dns: Record<string, string[][]> = {
  'mail._domainkey.example.com:TXT': [[`v=DKIM1; k=rsa; p=${dkim.publicKey.toString('base64')}`]],
  '_dmarc.example.com:TXT': [['v=DMARC1; p=reject']],
  'example.com:TXT': [['v=spf1 -all']],
};
const resolver = async (name: string, type: string) => {
  const found = dns[`${name.toLowerCase()}:${type}`];
  if (found) return found;
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

beforeAll(async () => {
  h = await startApprovalHarness({ temporalAddress: inject('temporalAddress') });
  replies = new ReplyHandler({
    db: h.db,
    decider: h.decider,
    tokens: h.tokens,
    replyDomain: h.config.APPROVALS_REPLY_DOMAIN!,
  });
  inbound = await startInboundSmtp({
    port: 0,
    host: '127.0.0.1',
    hostname: 'mx.pantheon.test',
    handler: replies,
    resolver,
  });
  gmail = new FakeGmail();
  await gmail.start();
});
afterAll(async () => {
  await inbound?.close();
  await gmail?.close();
  await h?.close();
});

interface Requested {
  handle: Awaited<ReturnType<ApprovalHarness['probe']>>;
  requestId: string;
  mail: CapturedMail;
  approve: string;
  reject: string;
  replyTo: string;
  token: string;
}

async function requestByEmail(
  overrides: Partial<ApprovalOptions> = {},
  to = 'carol@example.com',
): Promise<Requested> {
  const title = `Invoice ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  const handle = await h.probe({
    title,
    details: 'Pay *Acme* 1,200 EUR',
    approvers: { emails: [to] },
    timeout: '2 hours',
    ...overrides,
  });
  const mail = await h.mail.waitFor((m) => m.to.includes(to) && (m.parsed.subject ?? '').includes(title));
  const text = mail.parsed.text ?? '';
  const approve = /^Approve: (\S+)$/m.exec(text)![1]!;
  const reject = /^Reject: +(\S+)$/m.exec(text)![1]!;
  const replyTo = mail.parsed.replyTo!.value[0]!.address!;
  return {
    handle,
    requestId: `${handle.workflowId}/approval-1`,
    mail,
    approve,
    reject,
    replyTo,
    token: new URL(approve).searchParams.get('t')!,
  };
}

async function post(
  link: string,
  fields: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(link);
  const form = new URLSearchParams({
    r: url.searchParams.get('r')!,
    t: url.searchParams.get('t')!,
    d: url.searchParams.get('d')!,
    ...fields,
  });
  const res = await fetch(new URL('/approvals/decide', url), {
    method: 'POST',
    body: form,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return { status: res.status, body: await res.text() };
}

async function refusals(requestId: string): Promise<unknown[]> {
  return (await h.store.events({ requestId, kind: 'refused' })).map((e) => e.detail.reason);
}

/** A reply as a mail client would send it; `sign` adds the domain's DKIM signature. */
async function reply(options: {
  from: string;
  to: string;
  text: string;
  sign: boolean;
  envelopeFrom?: string;
}): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: inbound.port,
    secure: false,
    ignoreTLS: true,
    name: 'mail.example.com',
  });
  await transport.sendMail({
    from: options.from,
    to: options.to,
    subject: 'Re: Approval needed',
    text: options.text,
    envelope: { from: options.envelopeFrom ?? options.from, to: options.to },
    ...(options.sign
      ? { dkim: { domainName: 'example.com', keySelector: 'mail', privateKey: dkim.privateKey } }
      : {}),
  });
  transport.close();
}

/** The same reply as Gmail stores it: raw, with Gmail's own Authentication-Results on top; `sign` adds the domain's DKIM signature. */
async function gmailReply(options: {
  from: string;
  to: string;
  text: string;
  auth: string;
  sign?: boolean;
}): Promise<string> {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const dkimOption = options.sign
    ? { dkim: { domainName: 'example.com', keySelector: 'mail', privateKey: dkim.privateKey } }
    : {};
  const { message } = (await builder.sendMail({
    from: options.from,
    to: options.to,
    subject: 'Re: Approval needed',
    text: options.text,
    ...dkimOption,
  })) as unknown as { message: Buffer };
  return gmail.deliver(
    `Delivered-To: pantheon@replies.pantheon.test\r\nAuthentication-Results: mx.google.com;\r\n       ${options.auth}\r\n${message.toString()}`,
  );
}

describe('email links', () => {
  it('sends HTML and plain text with per-recipient links and reply address; GET decides nothing, POST does', async () => {
    const r = await requestByEmail({ allowComment: true });
    expect(r.mail.parsed.html).toContain('>Approve</a>');
    expect(r.mail.parsed.text).toContain('Pay Acme 1,200 EUR');
    expect(r.replyTo).toMatch(/^approvals\+[a-z0-9]+-[a-z2-7]{16}-[a-z2-7]{24}@replies\.pantheon\.test$/);
    expect(r.replyTo.split('@')[0]!.length).toBeLessThanOrEqual(64);

    const page = await fetch(r.approve);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/approvals/decide">');
    expect(html).toContain('carol@example.com');
    await fetch(r.approve); // a mail scanner's second look
    expect((await h.store.get(r.requestId))!.status).toBe('pending');
    expect(await h.store.events({ requestId: r.requestId, kind: 'vote' })).toHaveLength(0);

    const decided = await post(r.approve, { comment: 'Budget checked' });
    expect(decided.status).toBe(200);
    expect(decided.body).toContain('is approved');
    expect(await r.handle.result()).toMatchObject({
      decision: 'approved',
      decidedBy: 'email:carol@example.com',
      via: 'email-link',
      comment: 'Budget checked',
    });
  });

  it('refuses a tampered token, an expired one, a reused one and one of another request, recording each attempt', async () => {
    const r = await requestByEmail({
      approvers: { emails: ['carol@example.com', 'bob@example.com'] },
      quorum: 2,
    });
    const tampered = r.approve.replace(
      /t=([^&]+)/,
      (_, t: string) => `t=${t.slice(0, -1)}${t.endsWith('a') ? 'b' : 'a'}`,
    );
    expect((await post(tampered)).status).toBe(409);

    const expiredToken = await h.tokens.issue({
      requestId: r.requestId,
      approver: 'carol@example.com',
      expiresAt: new Date(Date.now() - 1000),
    });
    const expired = await post(r.approve.replace(/t=[^&]+/, `t=${expiredToken}`));
    expect(expired.body).toContain('This link has expired.');

    const other = await requestByEmail();
    const crossed = await post(r.approve.replace(/r=[^&]+/, `r=${encodeURIComponent(other.requestId)}`));
    expect(crossed.body).toContain('belongs to another request');

    expect((await post(r.approve)).body).toContain('1 of 2 needed');
    const reused = await post(r.approve);
    expect(reused.body).toContain('already been used');

    expect(await refusals(r.requestId)).toEqual(['token-invalid', 'token-expired', 'token-used']);
    expect(await refusals(other.requestId)).toEqual(['token-mismatch']);
    expect((await h.store.get(r.requestId))!.status).toBe('pending');
    expect((await h.store.get(other.requestId))!.status).toBe('pending');
    await Promise.all([r.handle.cancel(), other.handle.cancel()]);
  });
});

describe('token keys', () => {
  it('keeps verifying tokens signed by an older key after rotation, and refuses them once that key is gone', async () => {
    const r = await requestByEmail();
    const { ApprovalTokens, parseTokenKeys } = await import('../approvals/email/tokens');
    const rotated = new ApprovalTokens(
      h.db,
      parseTokenKeys('k3:a-brand-new-secret-key,k2:test-secret-key-number-two'),
    );
    expect(r.token.startsWith('k2-')).toBe(true);
    expect(await rotated.verify(r.token)).toMatchObject({
      ok: true,
      claims: { requestId: r.requestId, approver: 'carol@example.com' },
    });
    expect(
      (
        await rotated.issue({
          requestId: r.requestId,
          approver: 'carol@example.com',
          expiresAt: new Date(Date.now() + 60_000),
        })
      ).startsWith('k3-'),
    ).toBe(true);
    const retired = new ApprovalTokens(h.db, parseTokenKeys('k3:a-brand-new-secret-key'));
    expect(await retired.verify(r.token)).toMatchObject({ ok: false, reason: 'token-invalid' });
    await r.handle.cancel();
  });
});

describe('email replies over SMTP (DKIM/SPF/DMARC checked)', () => {
  it('approves with a comment, quoted history ignored', async () => {
    const r = await requestByEmail();
    await reply({
      from: 'Carol Chen <carol@example.com>',
      to: r.replyTo,
      sign: true,
      text: 'Approved - matches the PO\n\nOn Tue, Pantheon <pantheon@pantheon.test> wrote:\n> Reject: …\n',
    });
    expect(await r.handle.result()).toMatchObject({
      decision: 'approved',
      decidedBy: 'email:carol@example.com',
      via: 'email-reply',
      comment: 'matches the PO',
    });
  });

  it('rejects with a comment', async () => {
    const r = await requestByEmail();
    await reply({
      from: 'carol@example.com',
      to: r.replyTo,
      sign: true,
      text: 'reject\nWrong cost centre, use CC-42.\n-- \nCarol',
    });
    expect(await r.handle.result()).toMatchObject({
      decision: 'rejected',
      via: 'email-reply',
      comment: 'Wrong cost centre, use CC-42.',
    });
  });

  it('ignores a reply from another (authenticated) person and a spoofed From without authentication', async () => {
    const r = await requestByEmail();
    await reply({ from: 'bob@example.com', to: r.replyTo, sign: true, text: 'approve' });
    await reply({
      from: 'carol@example.com',
      envelopeFrom: 'mallory@evil.test',
      to: r.replyTo,
      sign: false,
      text: 'approve',
    });
    await waitUntil(async () => (await refusals(r.requestId)).length === 2 || undefined, 'two refusals');
    expect(await refusals(r.requestId)).toEqual(['sender-mismatch', 'unauthenticated']);
    const [spoof] = (await h.store.events({ requestId: r.requestId, kind: 'refused' })).slice(1);
    expect(spoof!.detail.authentication).toMatch(/dmarc=fail/);
    expect((await h.store.get(r.requestId))!.status).toBe('pending');
    await r.handle.cancel();
  });
});

describe('email replies through Gmail', () => {
  const passing =
    'dkim=pass header.i=@example.com header.s=mail header.b=abc;\r\n       spf=pass smtp.mailfrom=carol@example.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com';

  function poller(): GmailPoller {
    const client = createGmailClient({
      ...h.config,
      GMAIL_CLIENT_ID: 'client',
      GMAIL_CLIENT_SECRET: 'secret',
      GMAIL_REFRESH_TOKEN: 'refresh',
      GMAIL_ROOT_URL: gmail.url,
      GMAIL_TOKEN_URL: `${gmail.url}token`,
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

  it('approves and rejects with comments, marks mail read, and a restart handles nothing twice', async () => {
    const yes = await requestByEmail();
    const no = await requestByEmail();
    const spoofed = await requestByEmail();
    const ids = [
      await gmailReply({
        from: 'carol@example.com',
        to: yes.replyTo,
        text: 'LGTM - thanks\n',
        auth: passing,
        sign: true,
      }),
      await gmailReply({
        from: 'carol@example.com',
        to: no.replyTo,
        text: 'No: vendor not onboarded\n',
        auth: passing,
        sign: true,
      }),
      await gmailReply({
        from: 'carol@example.com',
        to: spoofed.replyTo,
        text: 'yes\n',
        auth: 'dkim=none;\r\n       spf=fail smtp.mailfrom=mallory@evil.test;\r\n       dmarc=fail (p=REJECT) header.from=example.com',
      }),
    ];
    const first = poller();
    expect(await first.pollOnce()).toBe(3);
    expect(await yes.handle.result()).toMatchObject({
      decision: 'approved',
      via: 'email-reply',
      comment: 'thanks',
    });
    expect(await no.handle.result()).toMatchObject({
      decision: 'rejected',
      via: 'email-reply',
      comment: 'vendor not onboarded',
    });
    expect(await refusals(spoofed.requestId)).toEqual(['unauthenticated']);
    for (const id of ids) expect(gmail.messages.get(id)!.labelIds).not.toContain('UNREAD');

    // As if the process died before marking them read: a new poller sees them again and does nothing.
    for (const id of ids) gmail.messages.get(id)!.labelIds.push('UNREAD');
    const before = (await h.store.events({ requestId: yes.requestId })).length;
    expect(await poller().pollOnce()).toBe(3);
    expect((await h.store.events({ requestId: yes.requestId })).length).toBe(before);
    expect(await refusals(spoofed.requestId)).toEqual(['unauthenticated']);
    await spoofed.handle.cancel();
  });
});

export type { ApprovalResult };
