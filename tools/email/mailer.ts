import nodemailer from 'nodemailer';

/** One outgoing email: both HTML and plain text, so every client shows something clean. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly replyTo?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** SMTP through nodemailer: `smtp://user:pass@host:587` or `smtps://…:465`. */
export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.url);
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: options.from, ...mail, headers: { ...mail.headers } });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
