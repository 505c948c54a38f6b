import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import type { DNSResolver } from 'mailauth';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerSession } from 'smtp-server';
import type { Logger } from '../../core/logger';
import { autoReplyReason } from './auto-reply';
import { clientKey, RateLimiter } from './rate-limiter';
import { readLimited } from './read-limited';
import type { InboundReply, ReplyHandler } from './reply-handler';
import { verifySender } from './verify-sender';

/** What one client may do: the approvals settings `INBOUND_*` (see approvals/config.ts). */
export interface InboundSmtpLimits {
  readonly maxMessageBytes: number;
  readonly maxClients: number;
  readonly connectionsPerMinute: number;
  readonly messagesPerMinute: number;
  readonly unauthenticatedPerHour: number;
}

export const defaultInboundSmtpLimits: InboundSmtpLimits = {
  maxMessageBytes: 1024 * 1024,
  maxClients: 20,
  connectionsPerMinute: 30,
  messagesPerMinute: 20,
  unauthenticatedPerHour: 10,
};

export interface InboundSmtpOptions {
  readonly port: number;
  readonly host: string;
  /** Our name in the greeting and in the Authentication-Results we compute. */
  readonly hostname: string;
  readonly handler: Pick<ReplyHandler, 'handle'>;
  /** DNS for DKIM/SPF/DMARC lookups (tests answer from a table). */
  readonly resolver?: DNSResolver;
  readonly limits?: Partial<InboundSmtpLimits>;
  readonly logger?: Logger;
}

/** Counters for operators and tests: what was refused, and the most message bytes ever held at once. */
export interface InboundSmtpStats {
  accepted: number;
  tooBig: number;
  rateLimited: number;
  peakBufferedBytes: number;
}

export interface InboundSmtp {
  readonly port: number;
  readonly stats: Readonly<InboundSmtpStats>;
  close(): Promise<void>;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((a) => a.value.map((v) => v.address ?? ''))
    .filter(Boolean);
}

const smtpError = (responseCode: number, message: string) =>
  Object.assign(new Error(message), { responseCode });
const minute = 60_000;

/**
 * The inbound MX for approval replies: accepts every message (so nothing leaks about which tokens
 * exist), verifies DKIM/SPF/DMARC with mailauth, and hands the reply to the ReplyHandler.
 *
 * It runs inside the bot, so it guards itself: at most `maxClients` connections (421), per-address
 * connection and message rates (421, 451), mail failing authentication limited per address (451),
 * and messages over `maxMessageBytes` are never held or parsed: smtp-server only announces SIZE
 * and counts, so `readLimited` stops keeping bytes past the limit and the answer is 552.
 */
export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtp> {
  const limits = { ...defaultInboundSmtpLimits, ...options.limits };
  const connections = new RateLimiter({ limit: limits.connectionsPerMinute, windowMs: minute });
  const messages = new RateLimiter({ limit: limits.messagesPerMinute, windowMs: minute });
  const unauthenticated = new RateLimiter({ limit: limits.unauthenticatedPerHour, windowMs: 60 * minute });
  const stats: InboundSmtpStats = { accepted: 0, tooBig: 0, rateLimited: 0, peakBufferedBytes: 0 };
  const limited = (session: SMTPServerSession, what: string) => {
    stats.rateLimited++;
    options.logger?.warn(
      { client: clientKey(session.remoteAddress), what },
      'inbound approval mail rate-limited',
    );
  };

  const server = new SMTPServer({
    name: options.hostname,
    banner: 'Pantheon approvals',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: limits.maxMessageBytes,
    rejectOversized: true,
    maxClients: limits.maxClients,
    disableReverseLookup: true,
    socketTimeout: minute,
    logger: false,
    onConnect(session, callback) {
      if (connections.take(clientKey(session.remoteAddress))) return callback();
      limited(session, 'connections');
      callback(smtpError(421, 'Too many connections from your address, try again later'));
    },
    onMailFrom(_address, session, callback) {
      const client = clientKey(session.remoteAddress);
      if (unauthenticated.exhausted(client)) {
        limited(session, 'unauthenticated');
        return callback(smtpError(451, 'Too much unauthenticated mail from your address, try again later'));
      }
      if (!messages.take(client)) {
        limited(session, 'messages');
        return callback(smtpError(451, 'Too many messages from your address, try again later'));
      }
      callback();
    },
    onData(stream, session, callback) {
      readLimited(stream, limits.maxMessageBytes, (kept) => {
        stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, kept);
      })
        .then(async (read) => {
          if (read.oversized) {
            stats.tooBig++;
            options.logger?.warn(
              { client: clientKey(session.remoteAddress), bytes: read.bytes },
              'inbound approval mail too big, refused unread',
            );
            return callback(
              smtpError(552, `Message exceeds fixed maximum message size ${limits.maxMessageBytes}`),
            );
          }
          const authenticated = await receive(options, read.raw, session);
          if (!authenticated) unauthenticated.take(clientKey(session.remoteAddress));
          stats.accepted++;
          callback();
        })
        .catch((error: unknown) => {
          options.logger?.error({ err: error }, 'inbound approval mail failed');
          callback(new Error('Temporary failure, try again later'));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    stats,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Verifies and hands over one message; resolves to whether its sender was authenticated. */
async function receive(
  options: InboundSmtpOptions,
  raw: Buffer,
  session: SMTPServerSession,
): Promise<boolean> {
  const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const mail = await simpleParser(raw);
  const from = mail.from?.value[0]?.address?.toLowerCase();
  const verdict = await verifySender(raw, from, {
    ip: session.remoteAddress,
    helo: session.hostNameAppearsAs,
    sender,
    mta: options.hostname,
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  const autoReply = autoReplyReason(raw.toString('utf8'), sender);
  const reply: InboundReply = {
    source: 'smtp',
    messageId: mail.messageId ?? createHash('sha256').update(raw).digest('hex'),
    ...(from ? { from } : {}),
    recipients: [
      ...session.envelope.rcptTo.map((r) => r.address),
      ...addresses(mail.to),
      ...addresses(mail.cc),
    ],
    text: mail.text ?? '',
    ...(mail.subject ? { subject: mail.subject } : {}),
    ...(mail.messageId ? { inReplyTo: mail.messageId } : {}),
    ...(autoReply ? { autoReply } : {}),
    authenticated: verdict.authenticated,
    authentication: verdict.summary,
  };
  await options.handler.handle(reply);
  return verdict.authenticated;
}
