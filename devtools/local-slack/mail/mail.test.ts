import { authenticate } from 'mailauth';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CaptureSmtpServer,
  type DnsRecord,
  LocalDkim,
  LocalMail,
  Mailbox,
  quoteOriginal,
  recordsResolver,
} from '.';

const users = [
  { name: 'Alice Adams', address: 'alice@example.com' },
  { name: 'Bob Brown', address: 'bob@example.com' },
];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function started(mail: LocalMail): Promise<string> {
  const url = await mail.start();
  closers.push(() => mail.close());
  return url;
}

async function send(smtpUrl: string, message: Record<string, unknown>): Promise<void> {
  const transport = createTransport(smtpUrl);
  try {
    await transport.sendMail({ from: 'Pantheon <pantheon@localhost>', ...message });
  } finally {
    transport.close();
  }
}

/** What the approvals inbound server would conclude about a reply from 127.0.0.1. */
function verify(raw: Buffer, resolver: LocalDkim['resolver'], sender = 'bob@example.com') {
  return authenticate(raw, {
    ip: '127.0.0.1',
    helo: 'localhost',
    sender,
    mta: 'pantheon.local',
    resolver,
    disableArc: true,
    disableBimi: true,
  });
}

describe('LocalMail capture', () => {
  it('files what the app sends under its envelope recipients, Bcc included', async () => {
    const mail = new LocalMail({ users });
    const url = await started(mail);
    expect(url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    await send(url, {
      to: 'Bob Brown <bob@example.com>',
      bcc: 'alice@example.com',
      replyTo: 'approvals+t1@replies.example.com',
      subject: 'Approval needed',
      text: 'Reply approve or reject',
      html: '<p>Reply <b>approve</b></p>',
    });
    const captured = await mail.waitForMail((m) => m.subject === 'Approval needed');
    expect(captured).toMatchObject({
      envelope: { from: 'pantheon@localhost', to: ['bob@example.com', 'alice@example.com'] },
      from: [{ name: 'Pantheon', address: 'pantheon@localhost' }],
      to: [{ name: 'Bob Brown', address: 'bob@example.com' }],
      replyTo: [{ address: 'approvals+t1@replies.example.com' }],
      text: 'Reply approve or reject',
      html: '<p>Reply <b>approve</b></p>',
    });
    expect(mail.list('BOB@example.com')).toHaveLength(1);
    expect(mail.list('alice@example.com')).toHaveLength(1);
    expect(mail.list('carol@example.com')).toHaveLength(0);
    expect(mail.list('bob@example.com')[0]).toMatchObject({
      snippet: 'Reply approve or reject',
      hasHtml: true,
      replies: 0,
    });
    expect(mail.raw(captured.id)?.toString()).toContain('Subject: Approval needed');
  });

  it('accepts AUTH from an app configured with credentials', async () => {
    const mailbox = new Mailbox();
    const smtp = new CaptureSmtpServer(mailbox);
    const url = await smtp.start();
    closers.push(() => smtp.close());
    await send(url.replace('smtp://', 'smtp://user:pass@'), {
      to: 'bob@example.com',
      subject: 'with auth',
      text: 'x',
    });
    expect(mailbox.list('bob@example.com')[0]?.subject).toBe('with auth');
  });
});

describe('LocalMail replies', () => {
  it('writes a threaded reply to the Reply-To, quoting the original, DKIM-signed so it authenticates', async () => {
    const delivered: { raw: Buffer; envelope: { from: string; to: string[] } }[] = [];
    const mail = new LocalMail({
      users,
      deliverReply: async (raw, envelope) => void delivered.push({ raw, envelope }),
    });
    const url = await started(mail);
    await send(url, {
      to: 'bob@example.com',
      replyTo: 'approvals+t1@replies.example.com',
      subject: 'Approval needed: laptop',
      text: 'Reply approve or reject\n> quoted',
      messageId: '<orig@localhost>',
    });
    const original = await mail.waitForMail(() => true);

    const reply = await mail.reply({ id: original.id, from: 'bob@example.com', text: 'approve\nLooks fine' });
    expect(reply).toMatchObject({
      status: 'delivered',
      to: ['approvals+t1@replies.example.com'],
      subject: 'Re: Approval needed: laptop',
    });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.envelope).toEqual({
      from: 'bob@example.com',
      to: ['approvals+t1@replies.example.com'],
    });

    const raw = delivered[0]!.raw;
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value).toEqual([{ name: 'Bob Brown', address: 'bob@example.com' }]);
    expect(parsed.inReplyTo).toBe('<orig@localhost>');
    expect(parsed.references).toBe('<orig@localhost>');
    expect(parsed.text).toMatch(
      /^approve\nLooks fine\n\nOn .+ at \d\d:\d\d, Pantheon <pantheon@localhost> wrote:\n> Reply approve or reject\n>> quoted\n$/,
    );
    expect(raw.toString()).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example\.com;/);

    const auth = await verify(raw, mail.dkim.resolver);
    expect(auth.dkim.results[0]?.status.result).toBe('pass');
    // SPF says nothing about the loopback sender: only the signature proves who wrote it.
    expect(auth.spf && auth.spf.status.result).toBe('neutral');
    expect(auth.dmarc && auth.dmarc.status.result).toBe('pass');
    expect(mail.get(original.id)?.replies).toEqual([
      expect.objectContaining({ status: 'delivered', text: 'approve\nLooks fine' }),
    ]);
  });

  it('a reply signed with another key, or tampered with, does not authenticate', async () => {
    const delivered: Buffer[] = [];
    const mail = new LocalMail({ users, deliverReply: async (raw) => void delivered.push(raw) });
    const url = await started(mail);
    await send(url, { to: 'bob@example.com', subject: 'S', text: 'T' });
    const original = await mail.waitForMail(() => true);
    await mail.reply({ id: original.id, from: 'bob@example.com', text: 'approve' });

    const impostor = new LocalDkim({ domain: 'example.com' });
    const forged = await impostor.sign(
      delivered[0]!.toString().replace(/^DKIM-Signature:[\s\S]*?\r\n(?=\S)/, ''),
    );
    expect((await verify(forged, mail.dkim.resolver)).dmarc).toMatchObject({ status: { result: 'fail' } });

    const tampered = Buffer.from(delivered[0]!.toString().replace('approve', 'reject!'));
    const auth = await verify(tampered, mail.dkim.resolver);
    expect(auth.dkim.results[0]?.status.result).not.toBe('pass');
    expect(auth.dmarc).toMatchObject({ status: { result: 'fail' } });
  });

  it('delivers over SMTP to the inbound URL by default', async () => {
    const inbound = new LocalMail();
    const inboundUrl = await started(inbound);
    const mail = new LocalMail({ users, inboundSmtpUrl: inboundUrl });
    const url = await started(mail);
    await send(url, {
      to: 'alice@example.com',
      replyTo: 'approvals+t2@replies.example.com',
      subject: 'Hi',
      text: 'x',
    });
    const original = await mail.waitForMail(() => true);
    await mail.reply({ id: original.id, from: 'alice@example.com', text: 'reject' });
    const received = await inbound.waitForMail(() => true);
    expect(received).toMatchObject({
      envelope: { from: 'alice@example.com', to: ['approvals+t2@replies.example.com'] },
      subject: 'Re: Hi',
    });
    expect(inbound.raw(received.id)?.toString()).toContain('DKIM-Signature:');
    expect(
      (await verify(inbound.raw(received.id)!, mail.dkim.resolver, 'alice@example.com')).dmarc,
    ).toMatchObject({ status: { result: 'pass' } });
  });

  it('records a reply it could not deliver, and refuses senders that are not local', async () => {
    const mail = new LocalMail({ users });
    const url = await started(mail);
    expect(mail.canDeliverReplies).toBe(false);
    await send(url, { to: 'bob@example.com', subject: 'S', text: 'T' });
    const original = await mail.waitForMail(() => true);
    const reply = await mail.reply({ id: original.id, from: 'bob@example.com', text: 'approve' });
    expect(reply).toMatchObject({ status: 'failed', error: expect.stringContaining('no inbound mail path') });
    await expect(
      mail.reply({ id: original.id, from: 'mallory@evil.example', text: 'approve' }),
    ).rejects.toThrow('not a local user');
  });
});

describe('LocalDkim', () => {
  it('answers the local domain from memory and publishes the key it signs with', async () => {
    const dkim = new LocalDkim({ fallback: async () => [['fallback']] });
    expect(await dkim.resolver('local._domainkey.example.com', 'TXT')).toEqual([
      [expect.stringMatching(/^v=DKIM1; k=rsa; p=MII/)],
    ]);
    expect(await dkim.resolver('_dmarc.example.com', 'TXT')).toEqual([
      ['v=DMARC1; p=reject; adkim=s; aspf=r'],
    ]);
    expect(await dkim.resolver('other.test', 'TXT')).toEqual([['fallback']]);
    await expect(dkim.resolver('example.com', 'MX')).rejects.toMatchObject({ code: 'ENODATA' });
    const again = new LocalDkim({ privateKey: dkim.privateKey });
    expect(again.publicKey).toBe(dkim.publicKey);
  });

  it('lets another process verify from the published records alone', async () => {
    const delivered: Buffer[] = [];
    const mail = new LocalMail({ users, deliverReply: async (raw) => void delivered.push(raw) });
    const url = await started(mail);
    await send(url, { to: 'bob@example.com', subject: 'S', text: 'T' });
    await mail.reply({
      id: (await mail.waitForMail(() => true)).id,
      from: 'bob@example.com',
      text: 'approve',
    });
    const published = JSON.parse(JSON.stringify(mail.dkim.records)) as DnsRecord[];
    const auth = await verify(
      delivered[0]!,
      recordsResolver(published, async () => [] as string[][]),
    );
    expect(auth.dmarc).toMatchObject({ status: { result: 'pass' } });
  });

  it('quotes like Gmail so the approvals reply parser cuts there', () => {
    const quoted = quoteOriginal({
      from: [{ name: 'P', address: 'p@x' }],
      text: 'a\n>b',
      date: '2026-03-03T10:00:00.000Z',
      receivedAt: 0,
    } as never);
    expect(quoted).toBe('On Tue 3 Mar 2026 at 10:00, P <p@x> wrote:\n> a\n>>b\n');
  });
});
