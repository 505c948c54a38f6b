import { z } from 'zod';
import { blobConfigShape } from './blobs/config';
import { deliveryConfigShape } from './delivery/config';
import { bool, optionalString, port, positiveInt } from './config-fields';

/**
 * The core settings (Temporal, Postgres, Redis, Slack transport, logging, payload encryption). Each key's description is the message a user sees
 * when it is missing or malformed, and `.env.example` lists the same keys (a unit test checks).
 * Readers take the parsed `Config`; nothing else reads `process.env`.
 */

const coreShape = {
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('one of development, production, test'),
  LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
    .default('info')
    .describe('a pino level: trace, debug, info, warn, error, fatal or silent'),
  LOG_PRETTY: bool.optional().describe('true for human-readable logs (default: true in development)'),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/)
    .default('127.0.0.1:7233')
    .describe('the Temporal frontend as host:port'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default').describe('the Temporal namespace'),
  TEMPORAL_TASK_QUEUE_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('pantheon')
    .describe('prefix of the tier task queues (letters, digits, . _ -)'),
  TEMPORAL_UI_URL: z
    .url()
    .default('http://127.0.0.1:8233')
    .describe('base URL of the Temporal UI, for links to runs'),
  WORKFLOW_TIER: z
    .enum(['light', 'llm', 'heavy'])
    .default('light')
    .describe('the worker tier that runs workflow tasks'),
  WORKER_LIGHT_CONCURRENCY: positiveInt.default(100).describe('max concurrent activities on the light tier'),
  WORKER_LLM_CONCURRENCY: positiveInt.default(8).describe('max concurrent activities on the llm tier'),
  WORKER_HEAVY_CONCURRENCY: positiveInt.default(2).describe('max concurrent activities on the heavy tier'),
  WORKFLOW_BUNDLE_PATH: optionalString.describe(
    'path of a prebuilt workflow bundle (npm run build); unset bundles at start-up',
  ),

  PAYLOAD_ENCRYPTION_KEYS: optionalString.describe(
    'comma-separated keyId:base64 AES-256 keys, e.g. k1:BASE64; set to encrypt payloads',
  ),
  PAYLOAD_ENCRYPTION_KEY_ID: optionalString.describe(
    'the key id used to encrypt new payloads (default: the first key)',
  ),
  PAYLOAD_ENCRYPTION_ALLOW_PLAINTEXT: bool
    .default(false)
    .describe(
      'true only while migrating: accept unencrypted payloads (history from before encryption) although keys are set',
    ),
  CODEC_SERVER_PORT: port.default(8888).describe('port of the codec endpoint for the Temporal UI'),
  CODEC_SERVER_TOKEN: optionalString.describe('bearer token the Temporal UI sends to the codec endpoint'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .default('postgres://postgres@127.0.0.1:5432/postgres')
    .describe('a postgres:// connection URL'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//)
    .default('redis://127.0.0.1:6379')
    .describe('a redis:// connection URL'),

  SLACK_BOT_TOKEN: optionalString.describe(
    'the Slack bot token (xoxb-...); unset in dev serves the local Slack workspace',
  ),
  SLACK_SIGNING_SECRET: optionalString.describe('the Slack app signing secret'),
  SLACK_APP_TOKEN: optionalString.describe(
    'an app-level token (xapp-...) to use Socket Mode instead of HTTP',
  ),
  SLACK_API_URL: optionalString.describe('base URL of the Slack Web API (default https://slack.com/api/)'),
  BOT_PORT: port.default(3000).describe('port of the bot HTTP server'),
  PUBLIC_URL: z
    .url()
    .default('http://localhost:3000')
    .describe('public base URL of the bot, used in email links'),

  SAMPLE_RECORD_LATENCY_MS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('simulated accounting-system latency of the sample invoices.record activity, in ms'),

  PANTHEON_POLICY_FILE: optionalString.describe(
    'path of the policy file (YAML: who may run each workflow, who approves it); unset, nobody may run anything — see policy.example.yaml',
  ),
  PANTHEON_OPERATOR: optionalString.describe(
    'identity recorded for operator actions from the CLI (default: your OS user name)',
  ),
} as const;

/** The settings core itself reads; the full list (with every feature's) is config/index.ts. */
export const coreConfigShape = { ...coreShape, ...deliveryConfigShape, ...blobConfigShape } as const;
export const coreConfigSchema = z.object(coreConfigShape);
export type CoreConfig = z.output<typeof coreConfigSchema>;

/** Task queue of a worker tier, e.g. `pantheon-light`. */
export function taskQueueFor(config: Pick<CoreConfig, 'TEMPORAL_TASK_QUEUE_PREFIX'>, tier: string): string {
  return `${config.TEMPORAL_TASK_QUEUE_PREFIX}-${tier}`;
}
