import type { DNSResolver } from 'mailauth';
import { type DeliverReply, LocalMail, type LocalDkimOptions } from '../mail';
import { type LocalSlackOptions, LocalSlackServer } from '../server';

export interface LocalWorkspaceOptions {
  /** The app's Request URL, e.g. `http://127.0.0.1:3000/slack/events`; or set it later with `setAppUrl`. */
  appUrl?: string;
  /** The local Slack's port (page, Web API). Default 0: a free port. */
  port?: number;
  /** The mail capture's SMTP port. Default 0: a free port. */
  smtpPort?: number;
  /** Default 127.0.0.1. */
  host?: string;
  signingSecret?: string;
  botToken?: string;
  /** Anything else LocalSlackServer takes (workspace seed, clock…). */
  slack?: Omit<LocalSlackOptions, 'appUrl' | 'signingSecret' | 'botToken'>;
  /** Where inbox replies go: the approvals inbound SMTP server… */
  inboundSmtpUrl?: string;
  /** …or a function receiving the signed MIME (wins over `inboundSmtpUrl`). */
  deliverReply?: DeliverReply;
  /** The local users' mail domain and DKIM key. Default `example.com`, a fresh key. */
  dkim?: LocalDkimOptions;
}

export interface LocalWorkspace {
  slack: LocalSlackServer;
  mail: LocalMail;
  /** Open this in a browser. */
  url: string;
  /** The bot's SLACK_API_URL. */
  apiUrl: string;
  /** The app's SMTP_URL. */
  smtpUrl: string;
  botToken: string;
  signingSecret: string;
  /** What the bot process needs to talk to this workspace instead of slack.com. */
  env: {
    SLACK_BOT_TOKEN: string;
    SLACK_SIGNING_SECRET: string;
    SLACK_API_URL: string;
    SMTP_URL: string;
    /** JSON `DnsRecord[]` of the local mail domain, for `recordsResolver` in the inbound verifier. */
    LOCAL_MAIL_DNS_RECORDS: string;
  };
  /** mailauth `resolver` under which inbox replies (DKIM-signed for the local domain) authenticate. */
  dkimResolver: DNSResolver;
  setAppUrl(url: string): void;
  /** Where inbox replies go once the inbound side is up: an `smtp://` URL or a function. */
  setReplyDelivery(target: DeliverReply | string | undefined): void;
  close(): Promise<void>;
}

/**
 * The whole local workspace: the local Slack (Web API + browser page) and the mail capture wired
 * into the page's Inbox. What `npm run dev` starts when no Slack credentials are configured.
 */
export async function startLocalWorkspace(options: LocalWorkspaceOptions = {}): Promise<LocalWorkspace> {
  const host = options.host ?? '127.0.0.1';
  const slack = new LocalSlackServer({
    ...options.slack,
    ...(options.appUrl ? { appUrl: options.appUrl } : {}),
    ...(options.signingSecret ? { signingSecret: options.signingSecret } : {}),
    ...(options.botToken ? { botToken: options.botToken } : {}),
  });
  const users = slack.ws.directory
    .listUsers()
    .filter((u) => !u.is_bot && u.profile.email)
    .map((u) => ({ name: u.real_name, address: u.profile.email ?? '' }));
  const mail = new LocalMail({
    users,
    ...(options.dkim ? { dkim: options.dkim } : {}),
    ...(options.inboundSmtpUrl ? { inboundSmtpUrl: options.inboundSmtpUrl } : {}),
    ...(options.deliverReply ? { deliverReply: options.deliverReply } : {}),
  });
  const smtpUrl = await mail.start({ port: options.smtpPort ?? 0, host });
  let url: string;
  try {
    url = await slack.start({ port: options.port ?? 0, host });
  } catch (error) {
    await mail.close();
    throw error;
  }
  slack.web.attachMail(mail);
  return {
    slack,
    mail,
    url: `${url}/`,
    apiUrl: slack.apiUrl,
    smtpUrl,
    botToken: slack.botToken,
    signingSecret: slack.signingSecret,
    env: {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      SMTP_URL: smtpUrl,
      LOCAL_MAIL_DNS_RECORDS: JSON.stringify(mail.dkim.records),
    },
    dkimResolver: mail.dkim.resolver,
    setAppUrl: (appUrl) => slack.setAppUrl(appUrl),
    setReplyDelivery: (target) => mail.setReplyDelivery(target),
    close: async () => {
      await slack.close();
      await mail.close();
    },
  };
}
