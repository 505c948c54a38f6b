import type { WebClient } from '@slack/web-api';
import type { Client } from '@temporalio/client';
import type { CoreConfig } from '../core/config';
import type { Database } from '../core/db/pool';
import type { Delivery } from '../core/delivery/contract';
import type { Logger } from '../core/logger';
import type { ActivityImplementation } from '../core/registry/activity-registry';
import { loadPolicy } from '../core/policy/load';
import type { Policy } from '../core/policy/policy';
import { createSmtpMailer } from '../tools/email/mailer';
import { createGmailClient } from '../tools/gmail/client';
import { createApprovalActivities } from './activities';
import type { ApprovalsConfig } from './config';
import { Decider } from './decider';
import { ApprovalTokens, parseTokenKeys } from './email/tokens';
import { approvalRoutes, createApprovalHttpHandler } from './http/handler';
import { linkRateLimit } from './http/rate-limit';
import { GmailPoller } from './inbound/gmail-poller';
import { ReplyHandler } from './inbound/reply-handler';
import { startInboundSmtp } from './inbound/smtp-server';
import { type DnsRecord, recordsResolver } from './inbound/dns-records';
import type { ApprovalListenerDependencies } from './slack/listeners';
import { webClientDirectory } from './slack/directory';
import { ApprovalStore } from './store';
import { temporalVoteSender } from './vote-sender';
import { voteSignerFor, voteVerifyKeysFor } from './votes/keys';

type ApprovalSettings = ApprovalsConfig &
  Pick<CoreConfig, 'PUBLIC_URL' | 'NODE_ENV' | 'PANTHEON_POLICY_FILE'>;

function tokensFor(config: ApprovalSettings, db: Database): ApprovalTokens | undefined {
  return config.APPROVAL_TOKEN_KEYS
    ? new ApprovalTokens(db, parseTokenKeys(config.APPROVAL_TOKEN_KEYS, config.APPROVAL_TOKEN_KEY_ID))
    : undefined;
}

/**
 * Worker side: the approval activities for the light tier. Email goes out only when SMTP_URL and
 * APPROVAL_TOKEN_KEYS are set; Slack user groups resolve through `slack` (reads only). Approvers
 * come from the policy (default: PANTHEON_POLICY_FILE, read here on the worker).
 */
export function createApprovalWorkerActivities(deps: {
  config: ApprovalSettings;
  db: Database;
  delivery: Delivery;
  slack?: WebClient;
  policy?: Policy;
}): { activities: ActivityImplementation[]; close: () => void } {
  const { config, db } = deps;
  const tokens = tokensFor(config, db);
  const mailer =
    config.SMTP_URL && tokens
      ? createSmtpMailer({ url: config.SMTP_URL, from: config.MAIL_FROM })
      : undefined;
  const activities = createApprovalActivities({
    store: new ApprovalStore(db),
    delivery: deps.delivery,
    ...(deps.slack ? { slack: webClientDirectory(deps.slack) } : {}),
    ...(mailer && tokens ? { mailer, tokens } : {}),
    config,
    voteKeys: voteVerifyKeysFor(config),
    policy:
      deps.policy ??
      loadPolicy(config.PANTHEON_POLICY_FILE, { required: Boolean(config.PANTHEON_POLICY_FILE) }),
  });
  return { activities, close: () => mailer?.close() };
}

export interface ApprovalBotServices {
  readonly decider: Decider;
  /** For `registerApprovalListeners(app, listeners)`. */
  readonly listeners: ApprovalListenerDependencies;
  /** Bolt `customRoutes` for the email links (empty without APPROVAL_TOKEN_KEYS). */
  readonly routes: ReturnType<typeof approvalRoutes>;
  /** The same as a plain node:http handler. */
  readonly httpHandler?: ReturnType<typeof createApprovalHttpHandler>;
  /** Starts the inbound SMTP server and the Gmail poller when configured; resolves to a stopper (and the SMTP port). */
  startInbound(): Promise<{ smtpPort?: number; stop(): Promise<void> }>;
}

/** Bot side: the decider, Slack listener deps, link routes and inbound reply paths. */
export function createApprovalBotServices(deps: {
  config: ApprovalSettings;
  db: Database;
  client: Client;
  logger?: Logger;
}): ApprovalBotServices {
  const { config, db, logger } = deps;
  const decider = new Decider({
    store: new ApprovalStore(db),
    signer: voteSignerFor(config),
    send: temporalVoteSender(deps.client),
    ...(logger ? { logger } : {}),
  });
  const tokens = tokensFor(config, db);
  const rateLimit = linkRateLimit({ perMinute: config.APPROVAL_LINK_REQUESTS_PER_MINUTE });
  const http = tokens ? { decider, tokens, rateLimit, ...(logger ? { logger } : {}) } : undefined;
  return {
    decider,
    listeners: { decider, ...(logger ? { logger } : {}) },
    routes: http ? approvalRoutes(http) : [],
    ...(http ? { httpHandler: createApprovalHttpHandler(http) } : {}),
    async startInbound() {
      const stops: (() => Promise<void>)[] = [];
      let smtpPort: number | undefined;
      const domain = config.APPROVALS_REPLY_DOMAIN;
      if (tokens && domain) {
        // "Could not read a decision" answers go out like the approval emails themselves.
        const mailer = config.SMTP_URL
          ? createSmtpMailer({ url: config.SMTP_URL, from: config.MAIL_FROM })
          : undefined;
        if (mailer) stops.push(async () => mailer.close());
        const handler = new ReplyHandler({
          db,
          decider,
          tokens,
          replyDomain: domain,
          ...(mailer ? { mailer } : {}),
          ...(logger ? { logger } : {}),
        });
        // The local workspace (npm run dev) signs replies for its own domain; trust its records.
        const resolver = config.LOCAL_MAIL_DNS_RECORDS
          ? recordsResolver(JSON.parse(config.LOCAL_MAIL_DNS_RECORDS) as DnsRecord[])
          : undefined;
        if (config.INBOUND_SMTP_PORT !== undefined) {
          const smtp = await startInboundSmtp({
            ...(resolver ? { resolver } : {}),
            port: config.INBOUND_SMTP_PORT,
            host: config.INBOUND_SMTP_HOST,
            hostname: config.INBOUND_SMTP_HOSTNAME,
            handler,
            limits: {
              maxMessageBytes: config.INBOUND_MAX_MESSAGE_BYTES,
              maxClients: config.INBOUND_SMTP_MAX_CLIENTS,
              connectionsPerMinute: config.INBOUND_SMTP_CONNECTIONS_PER_MINUTE,
              messagesPerMinute: config.INBOUND_SMTP_MESSAGES_PER_MINUTE,
              unauthenticatedPerHour: config.INBOUND_UNAUTHENTICATED_PER_HOUR,
            },
            ...(logger ? { logger } : {}),
          });
          smtpPort = smtp.port;
          logger?.info({ port: smtp.port }, 'approval replies: inbound SMTP listening');
          stops.push(() => smtp.close());
        }
        if (config.GMAIL_CLIENT_ID) {
          const poller = new GmailPoller({
            gmail: createGmailClient(config),
            handler,
            user: config.GMAIL_USER,
            query: config.GMAIL_QUERY,
            authservId: config.GMAIL_AUTHSERV_ID,
            intervalMs: config.GMAIL_POLL_INTERVAL_MS,
            maxMessageBytes: config.INBOUND_MAX_MESSAGE_BYTES,
            mta: config.INBOUND_SMTP_HOSTNAME,
            ...(resolver ? { resolver } : {}),
            ...(logger ? { logger } : {}),
          });
          poller.start();
          stops.push(() => poller.stop());
        }
      }
      return {
        ...(smtpPort !== undefined ? { smtpPort } : {}),
        stop: async () => void (await Promise.all(stops.map((stop) => stop()))),
      };
    },
  };
}
