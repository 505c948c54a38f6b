import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { MailAddress, Mailbox } from './mailbox';

export interface CaptureSmtpOptions {
  port?: number;
  host?: string;
}

function addresses(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) =>
    group.value.flatMap((a) => (a.address ? [{ name: a.name, address: a.address.toLowerCase() }] : [])),
  );
}

/** Parses a raw message and files it in the mailbox under its envelope recipients. */
export async function captureMessage(
  mailbox: Mailbox,
  raw: Buffer,
  envelope: { from: string; to: string[] },
  now = Date.now(),
) {
  const parsed = await simpleParser(raw, { skipImageLinks: true });
  const references = parsed.references === undefined ? [] : [parsed.references].flat();
  return mailbox.add(
    {
      receivedAt: now,
      envelope: { from: envelope.from.toLowerCase(), to: envelope.to.map((a) => a.toLowerCase()) },
      ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
      subject: parsed.subject ?? '',
      ...(parsed.date ? { date: parsed.date.toISOString() } : {}),
      from: addresses(parsed.from),
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      replyTo: addresses(parsed.replyTo),
      ...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo } : {}),
      references,
      text: parsed.text ?? '',
      ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
      attachments: parsed.attachments.map((a) => ({
        filename: a.filename ?? 'attachment',
        contentType: a.contentType,
        size: a.size,
      })),
    },
    raw,
  );
}

/**
 * An SMTP server that accepts everything (any sender, any recipient, any or no AUTH) and keeps it
 * in the mailbox: what the app gets as `SMTP_URL=smtp://127.0.0.1:<port>`. Plain text only, no
 * STARTTLS, so nodemailer's opportunistic TLS never trips over a self-signed certificate.
 */
export class CaptureSmtpServer {
  private server: SMTPServer | undefined;
  private boundPort = 0;
  private boundHost = '127.0.0.1';

  constructor(private readonly mailbox: Mailbox) {}

  async start({ port = 0, host = '127.0.0.1' }: CaptureSmtpOptions = {}): Promise<string> {
    if (this.server) throw new Error('local mail: already started');
    const mailbox = this.mailbox;
    const server = new SMTPServer({
      name: 'mail.local-slack.test',
      banner: 'Pantheon local mail capture',
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      size: 25 * 1024 * 1024,
      logger: false,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username ?? 'local' });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (error) => callback(error));
        stream.on('end', () => {
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          captureMessage(mailbox, Buffer.concat(chunks), envelope).then(
            () => callback(),
            (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    // Later socket errors (a client hanging up mid-session) must not crash the process.
    server.on('error', () => undefined);
    this.server = server;
    this.boundHost = host;
    this.boundPort = (server.server.address() as AddressInfo).port;
    return this.url;
  }

  /** `smtp://host:port`, the app's SMTP_URL. */
  get url(): string {
    const host = this.boundHost.includes(':') ? `[${this.boundHost}]` : this.boundHost;
    return `smtp://${host}:${this.boundPort}`;
  }

  get port(): number {
    return this.boundPort;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
