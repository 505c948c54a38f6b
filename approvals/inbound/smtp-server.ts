import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { authenticate } from 'mailauth';
import type { AuthenticateResult, DNSResolver } from 'mailauth';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../../core/logger';
import type { InboundReply, ReplyHandler } from './reply-handler';

export interface InboundSmtpOptions {
  readonly port: number;
  readonly host: string;
  /** Our name in the greeting and in the Authentication-Results we compute. */
  readonly hostname: string;
  readonly handler: Pick<ReplyHandler, 'handle'>;
  /** DNS for DKIM/SPF/DMARC lookups (tests answer from a table). */
  readonly resolver?: DNSResolver;
  readonly logger?: Logger;
}

export interface InboundSmtp {
  readonly port: number;
  close(): Promise<void>;
}

/** Authenticated when DMARC passes, or (no DMARC policy published) a DKIM signature of the From domain passes. */
export function isAuthenticated(result: AuthenticateResult, fromDomain: string | undefined): boolean {
  if (result.dmarc && result.dmarc.status.result === 'pass') return true;
  if (result.dmarc && result.dmarc.status.result !== 'none') return false;
  return Boolean(fromDomain) && result.dkim.results.some((r) => r.status.result === 'pass' && r.signingDomain.toLowerCase() === fromDomain);
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

/**
 * The inbound MX for approval replies: accepts every message (so nothing leaks about which tokens
 * exist), verifies DKIM/SPF/DMARC with mailauth, and hands the reply to the ReplyHandler.
 */
export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtp> {
  const server = new SMTPServer({
    name: options.hostname,
    banner: 'Pantheon approvals',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: 5 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        receive(options, raw, session).then(
          () => callback(),
          (error: unknown) => {
            options.logger?.error({ err: error }, 'inbound approval mail failed');
            callback(new Error('Temporary failure, try again later'));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function receive(
  options: InboundSmtpOptions,
  raw: Buffer,
  session: { remoteAddress: string; hostNameAppearsAs: string; envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] } },
): Promise<void> {
  const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const [auth, mail] = await Promise.all([
    authenticate(raw, {
      ip: session.remoteAddress.replace(/^::ffff:/, ''),
      helo: session.hostNameAppearsAs,
      sender,
      mta: options.hostname,
      disableArc: true,
      disableBimi: true,
      ...(options.resolver ? { resolver: options.resolver } : {}),
    }),
    simpleParser(raw),
  ]);
  const from = mail.from?.value[0]?.address?.toLowerCase();
  const reply: InboundReply = {
    source: 'smtp',
    messageId: mail.messageId ?? createHash('sha256').update(raw).digest('hex'),
    ...(from ? { from } : {}),
    recipients: [...session.envelope.rcptTo.map((r) => r.address), ...addresses(mail.to), ...addresses(mail.cc)],
    text: mail.text ?? '',
    authenticated: isAuthenticated(auth, from?.split('@')[1]),
    authentication: `dmarc=${auth.dmarc ? auth.dmarc.status.result : 'none'} dkim=${auth.dkim.results.map((r) => `${r.status.result}:${r.signingDomain}`).join(',') || 'none'} spf=${auth.spf ? auth.spf.status.result : 'none'}`,
  };
  await options.handler.handle(reply);
}
