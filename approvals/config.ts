import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { parseEnvironment } from '../core/parse-environment';
import { optionalString, port } from '../core/config-fields';

/**
 * The approvals settings, as a zod shape merged into `configShape` (config/index.ts), which the
 * apps parse once; `loadApprovalsConfig` parses just these (unit tests). Each description is the
 * message a user sees.
 */
const durationList = z
  .string()
  .refine(
    (v) =>
      v.trim() === 'none' || v.split(',').every((d) => d.trim() === '' || safeMs(d.trim()) !== undefined),
  )
  .transform((v) =>
    v.trim() === 'none'
      ? []
      : v
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean)
          .map((d) => safeMs(d)!),
  );

function safeMs(duration: string): number | undefined {
  try {
    const ms = msToNumber(duration as Parameters<typeof msToNumber>[0]);
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

export const approvalsConfigShape = {
  APPROVAL_TOKEN_KEYS: optionalString
    .refine(
      (v) => v === undefined || v.split(',').every((pair) => /^[a-z0-9]{1,8}:.{16,}$/.test(pair.trim())),
    )
    .describe(
      'comma-separated keyId:secret pairs signing email approval tokens (key ids a-z0-9, secrets ≥ 16 chars), e.g. k2:NEW,k1:OLD',
    ),
  APPROVAL_TOKEN_KEY_ID: optionalString.describe(
    'the key id that signs new approval tokens (default: the first of APPROVAL_TOKEN_KEYS)',
  ),
  APPROVAL_VOTE_SIGNING_KEY: optionalString
    .refine((v) => v === undefined || /^[a-z0-9]{1,8}:[A-Za-z0-9_-]{43}$/.test(v.trim()))
    .describe(
      'keyId:base64url Ed25519 private key (32 bytes) with which the bot and the CLI sign approval votes; unset outside production uses .pantheon/approval-vote-key (generate: npx tsx bin/approval-vote-key.ts)',
    ),
  APPROVAL_VOTE_VERIFY_KEYS: optionalString
    .refine(
      (v) =>
        v === undefined ||
        v.split(',').every((pair) => /^[a-z0-9]{1,8}:[A-Za-z0-9_-]{43}$/.test(pair.trim())),
    )
    .describe(
      'comma-separated keyId:base64url Ed25519 public keys whose approval votes workers accept, old ones too while rotating (default: the public half of APPROVAL_VOTE_SIGNING_KEY)',
    ),
  APPROVAL_REMINDERS: durationList
    .prefault('1 hour')
    .describe(
      'comma-separated durations before an approval deadline to remind approvers who have not answered, e.g. "4h,1h", or none',
    ),
  SMTP_URL: optionalString.describe(
    'outgoing mail server as an smtp:// or smtps:// URL; unset sends no approval emails',
  ),
  MAIL_FROM: z
    .string()
    .min(3)
    .default('Pantheon <pantheon@localhost>')
    .describe('the From of approval emails, e.g. "Pantheon <pantheon@example.com>"'),
  APPROVALS_REPLY_DOMAIN: optionalString.describe(
    'mail domain receiving replies to approvals+<token>@<domain>; unset sends no Reply-To',
  ),
  INBOUND_SMTP_PORT: port
    .optional()
    .describe('port of the inbound SMTP server for approval replies; unset starts none'),
  INBOUND_SMTP_HOST: z.string().default('127.0.0.1').describe('address the inbound SMTP server listens on'),
  INBOUND_SMTP_HOSTNAME: z
    .string()
    .default('pantheon.local')
    .describe('the name this server uses in SMTP greetings and Authentication-Results'),
  INBOUND_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024)
    .describe(
      'largest inbound approval reply in bytes (SMTP and Gmail); larger ones are refused with 552 unread',
    ),
  INBOUND_SMTP_MAX_CLIENTS: z.coerce
    .number()
    .int()
    .positive()
    .default(20)
    .describe('most simultaneous connections to the inbound SMTP server; more get 421'),
  INBOUND_SMTP_CONNECTIONS_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(30)
    .describe('connections one client address may open to the inbound SMTP server per minute; more get 421'),
  INBOUND_SMTP_MESSAGES_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(20)
    .describe('messages one client address may send to the inbound SMTP server per minute; more get 451'),
  INBOUND_UNAUTHENTICATED_PER_HOUR: z.coerce
    .number()
    .int()
    .positive()
    .default(10)
    .describe(
      'mails failing DKIM/DMARC one client address may send per hour before its mail is refused (451)',
    ),
  APPROVAL_LINK_REQUESTS_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(30)
    .describe(
      'email-link requests (GET and POST) one client address may make per minute; more get a 429 page',
    ),
  LOCAL_MAIL_DNS_RECORDS: optionalString.describe(
    'JSON DNS records (DKIM, SPF, DMARC) the inbound mail check trusts for the local workspace’s domain; npm run dev sets it',
  ),
  GMAIL_CLIENT_ID: optionalString.describe(
    'OAuth client id of the Gmail mailbox receiving approval replies; unset polls no Gmail',
  ),
  GMAIL_CLIENT_SECRET: optionalString.describe('OAuth client secret for GMAIL_CLIENT_ID'),
  GMAIL_REFRESH_TOKEN: optionalString.describe('OAuth refresh token of the mailbox (scope gmail.modify)'),
  GMAIL_ROOT_URL: z.url().default('https://gmail.googleapis.com/').describe('base URL of the Gmail API'),
  GMAIL_TOKEN_URL: z
    .url()
    .default('https://oauth2.googleapis.com/token')
    .describe('the OAuth token endpoint'),
  GMAIL_USER: z.string().default('me').describe('the mailbox to read, "me" for the token owner'),
  GMAIL_QUERY: z.string().default('is:unread').describe('Gmail search selecting candidate replies'),
  GMAIL_AUTHSERV_ID: z
    .string()
    .default('mx.google.com')
    .describe('authserv-id of the Authentication-Results header to trust'),
  GMAIL_POLL_INTERVAL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15_000)
    .describe('ms between Gmail polls'),
} as const;

export const approvalsConfigSchema = z.object(approvalsConfigShape);

/**
 * For the merged settings (config/index.ts): a production process needs a vote key — the bot and
 * the CLI the signing key, workers at least the public one. Outside production a dev key is made.
 */
export function requireVoteKeysInProduction(
  config: {
    NODE_ENV: string;
    APPROVAL_VOTE_SIGNING_KEY?: string | undefined;
    APPROVAL_VOTE_VERIFY_KEYS?: string | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if (
    config.NODE_ENV !== 'production' ||
    config.APPROVAL_VOTE_SIGNING_KEY ||
    config.APPROVAL_VOTE_VERIFY_KEYS
  )
    return;
  ctx.addIssue({
    code: 'custom',
    path: ['APPROVAL_VOTE_SIGNING_KEY'],
    message:
      'production needs it (workers: it or APPROVAL_VOTE_VERIFY_KEYS); generate one with: npx tsx bin/approval-vote-key.ts',
  });
}
export type ApprovalsConfig = z.output<typeof approvalsConfigSchema>;

/** Parse the approvals settings; one line naming the first bad variable, like loadConfig. */
export function loadApprovalsConfig(env: NodeJS.ProcessEnv = process.env): ApprovalsConfig {
  return parseEnvironment(approvalsConfigShape, approvalsConfigSchema, env);
}
