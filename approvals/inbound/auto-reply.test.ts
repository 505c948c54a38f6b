import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { autoReplyReason } from './auto-reply';
import { RateLimiter } from './rate-limiter';
import { readLimited } from './read-limited';

const mail = (headers: string, from = 'carol@example.com') =>
  `From: ${from}\r\nTo: x@y\r\n${headers}Subject: Re\r\n\r\napprove\r\n`;

describe('autoReplyReason', () => {
  it.each([
    ['Auto-Submitted: auto-replied\r\n', 'auto-submitted:auto-replied'],
    ['Auto-Submitted: auto-generated; owner-email="a@b"\r\n', 'auto-submitted:auto-generated'],
    ['X-Autoreply: yes\r\n', 'x-autoreply'],
    ['X-Autorespond: vacation\r\n', 'x-autorespond'],
    ['Precedence: Bulk\r\n', 'precedence:bulk'],
    ['Precedence: auto_reply\r\n', 'precedence:auto_reply'],
    ['List-Id: <a.example.com>\r\n', 'mailing-list'],
    ['List-Unsubscribe: <mailto:x@y>\r\n', 'mailing-list'],
    ['Content-Type: multipart/report; report-type=delivery-status\r\n', 'delivery-report'],
    ['Return-Path: <>\r\n', 'null-return-path'],
  ])('flags %j', (headers, reason) => {
    expect(autoReplyReason(mail(headers))).toBe(reason);
  });

  it('flags a null envelope sender and MAILER-DAEMON, and leaves a person alone', () => {
    expect(autoReplyReason(mail(''), '')).toBe('null-return-path');
    expect(autoReplyReason(mail('', 'MAILER-DAEMON@example.com'), 'bounces@example.com')).toBe(
      'mailer-daemon',
    );
    expect(
      autoReplyReason(mail('Auto-Submitted: no\r\nPrecedence: normal\r\n'), 'carol@example.com'),
    ).toBeUndefined();
    // Only headers count: the words in a body do not.
    expect(
      autoReplyReason('From: carol@example.com\r\n\r\nAuto-Submitted: auto-replied\r\n'),
    ).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('allows `limit` events per window and per key, then refuses until the window ends', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 2, windowMs: 1000, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(limiter.exhausted('a')).toBe(true);
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    now = 1000;
    expect(limiter.exhausted('a')).toBe(false);
    expect(limiter.take('a')).toBe(true);
  });

  it('keeps at most maxKeys windows', () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // drops a's window
    expect(limiter.exhausted('a')).toBe(false);
    expect(limiter.exhausted('c')).toBe(true);
  });
});

describe('readLimited', () => {
  it('keeps a message up to the limit and only counts the bytes of a bigger one', async () => {
    const chunks = (n: number) => Readable.from(Array.from({ length: n }, () => Buffer.alloc(1000, 120)));
    expect(await readLimited(chunks(3), 3000)).toMatchObject({ oversized: false, bytes: 3000 });
    let peak = 0;
    const big = await readLimited(chunks(12_000), 5000, (kept) => (peak = Math.max(peak, kept)));
    expect(big).toEqual({ oversized: true, bytes: 12_000_000 });
    expect(peak).toBeLessThanOrEqual(5000);
  });
});
