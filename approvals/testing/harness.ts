import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../../config';
import type { Config } from '../../config';
import { migrate } from '../../core/db/migrate';
import { createDatabase } from '../../core/db/pool';
import type { Database } from '../../core/db/pool';
import { ActivityRegistry } from '../../core/registry/activity-registry';
import { createDataConverter, payloadConverterPath } from '../../core/temporal/data-converter';
import { preloadModules } from '../../worker/paths';
import { createSmtpMailer } from '../../tools/email/mailer';
import type { Delivery } from '../../core/delivery/contract';
import { createDelivery, SlackSender } from '../../core/delivery';
import { createLogger } from '../../core/logger';
import type { Mailer } from '../../tools/email/mailer';
import { LocalSlackServer } from '@pantheon/local-slack';
import type { ApprovalsConfig } from '../config';
import { Decider } from '../decider';
import { ApprovalTokens, parseTokenKeys } from '../email/tokens';
import { createApprovalHttpHandler } from '../http/handler';
import type { ApprovalOptions } from '../models';
import { registerApprovalListeners } from '../slack/listeners';
import { createApprovalWorkerActivities } from '../wiring';
import { ApprovalStore } from '../store';
import { temporalVoteSender } from '../vote-sender';
import { newVoteSigningKey, voteSignerFor } from '../votes/keys';
import type { VoteSigner } from '../votes/signer';
import { testPolicy, writePolicy } from '../../tests/support/policy';
import { DirectDelivery } from './direct-delivery';
import { MailCapture } from './mail-capture';

/** The probes (approval-probe, approval-pair) name their approvers in their input. */
export const approvalTestPolicy = testPolicy({
  workflows: {
    'approval-probe': { approversFromInput: true },
    'approval-pair': { approversFromInput: true },
  },
});

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let bundlePath: Promise<string> | undefined;
let runtimeInstalled = false;

/** Temporal's runtime logs only errors in tests (installed once per process). */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  } catch {
    // Already installed by another helper in this process.
  }
}

/** The test bundle (sample workflows + probes), built once per process. */
export function approvalBundle(): Promise<string> {
  bundlePath ??= bundleWorkflowCode({
    workflowsPath: join(import.meta.dirname, 'workflows.ts'),
    payloadConverterPath,
    preloadModules,
    logger: silent,
  }).then(({ code }) => {
    const path = join(mkdtempSync(join(tmpdir(), 'pantheon-approvals-')), 'bundle.js');
    writeFileSync(path, code);
    return path;
  });
  return bundlePath;
}

export interface HarnessOptions {
  /** The dev server; or pass `temporal` (e.g. the time-skipping environment's connections). */
  readonly temporalAddress?: string;
  readonly temporal?: { client: Client; nativeConnection: NativeConnection };
  readonly env?: NodeJS.ProcessEnv;
  readonly workers?: boolean;
  /** Slack writes through the real BullMQ delivery queue instead of directly. */
  readonly queueDelivery?: boolean;
  /** How long signed votes stay valid (the time-skipping server's clock runs far ahead of ours). */
  readonly voteTtlMs?: number;
}

export interface ApprovalHarness {
  readonly config: Config & ApprovalsConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly db: Database;
  readonly store: ApprovalStore;
  readonly client: Client;
  readonly slack: LocalSlackServer;
  readonly app: App;
  readonly mail: MailCapture;
  readonly mailer: Mailer;
  readonly tokens: ApprovalTokens;
  readonly decider: Decider;
  /** The bot's vote signing key (its public half is what the workers accept). */
  readonly signer: VoteSigner;
  /** Base URL of the HTTP server mounting the approval link handler. */
  readonly httpUrl: string;
  readonly taskQueue: string;
  start(
    workflow: string,
    args: unknown,
    options?: { slack?: { channel: string; threadTs?: string }; startedBy?: string; workflowId?: string },
  ): Promise<WorkflowHandle>;
  probe(
    options: ApprovalOptions,
    start?: { slack?: { channel: string; threadTs?: string }; startedBy?: string },
  ): Promise<WorkflowHandle>;
  /** Resolves once the request's notifications are recorded. */
  notified(requestId: string, count?: number): Promise<void>;
  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** The approval activities as a worker has them, with Slack writes sent directly (no queue). */
export function approvalTestActivities(
  config: Config & ApprovalsConfig,
  db: Database,
  delivery?: Delivery,
): { registry: ActivityRegistry; close: () => void } {
  const web = new WebClient(config.SLACK_BOT_TOKEN, {
    slackApiUrl: config.SLACK_API_URL,
    logLevel: LogLevel.ERROR,
  });
  const { activities, close } = createApprovalWorkerActivities({
    config,
    db,
    delivery: delivery ?? new DirectDelivery(web),
    slack: web,
  });
  return { registry: new ActivityRegistry().register(...activities), close };
}

/** The production delivery queue (BullMQ on Redis) on a queue of its own, consuming in this process. */
function queueDelivery(config: Config): Delivery {
  return createDelivery({
    redisUrl: config.REDIS_URL,
    logger: createLogger({ ...config, LOG_LEVEL: 'error' }),
    settings: {
      queueName: `approvals-${randomUUID().slice(0, 8)}`,
      prefix: `test-${randomUUID().slice(0, 8)}`,
    },
    senders: {
      '': new SlackSender({
        token: config.SLACK_BOT_TOKEN!,
        ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
      }),
    },
  });
}

export async function waitUntil<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Everything approvals touch, real and local: Temporal, Postgres, the local Slack with a Bolt app
 * running our listeners, an SMTP server capturing outgoing mail, and the link handler on HTTP.
 */
export async function startApprovalHarness(options: HarnessOptions): Promise<ApprovalHarness> {
  quietRuntime();
  const signingSecret = 'approvals-test-secret';
  const slack = new LocalSlackServer({ signingSecret });
  await slack.start();
  const mail = new MailCapture();
  const smtpUrl = await mail.start();
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: options.temporalAddress ?? '127.0.0.1:7233',
    TEMPORAL_TASK_QUEUE_PREFIX: `a${randomUUID().slice(0, 8)}`,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    PUBLIC_URL: httpUrl,
    SLACK_API_URL: slack.apiUrl,
    SLACK_BOT_TOKEN: slack.botToken,
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'Pantheon <pantheon@pantheon.test>',
    APPROVALS_REPLY_DOMAIN: 'replies.pantheon.test',
    APPROVAL_TOKEN_KEYS: 'k2:test-secret-key-number-two,k1:test-secret-key-number-one',
    APPROVAL_REMINDERS: 'none',
    APPROVAL_VOTE_SIGNING_KEY: newVoteSigningKey('t1'),
    // The probes take their approvers from their input (what these tests vary); the sample
    // workflows get theirs from the policy.
    PANTHEON_POLICY_FILE: writePolicy(approvalTestPolicy),
    ...options.env,
  };
  const config = loadConfig(env);
  const db = createDatabase(config, 6);
  await migrate(db);
  const store = new ApprovalStore(db);
  const dataConverter = createDataConverter(config);
  const connection = options.temporal
    ? undefined
    : await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client =
    options.temporal?.client ??
    new Client({ connection: connection!, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const signer = voteSignerFor(config);
  const decider = new Decider({
    store,
    signer,
    send: temporalVoteSender(client),
    ...(options.voteTtlMs ? { voteTtlMs: options.voteTtlMs } : {}),
  });
  const tokens = new ApprovalTokens(
    db,
    parseTokenKeys(config.APPROVAL_TOKEN_KEYS, config.APPROVAL_TOKEN_KEY_ID),
  );
  const handler = createApprovalHttpHandler({ decider, tokens });
  http.on('request', (req, res) => void handler(req, res));

  const app = new App({
    token: slack.botToken,
    signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  registerApprovalListeners(app, { decider });
  const appServer = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  slack.setAppUrl(`http://127.0.0.1:${(appServer.address() as AddressInfo).port}/slack/events`);

  const mailer = createSmtpMailer({ url: smtpUrl, from: config.MAIL_FROM });
  const delivery = options.queueDelivery ? queueDelivery(config) : undefined;
  const worker = approvalTestActivities(config, db, delivery);
  const activities = worker.registry;
  const taskQueue = `${config.TEMPORAL_TASK_QUEUE_PREFIX}-light`;
  let running: { worker: Worker; done: Promise<void>; connection?: NativeConnection } | undefined;

  const harness: ApprovalHarness = {
    config,
    env,
    db,
    store,
    client,
    slack,
    app,
    mail,
    mailer,
    tokens,
    decider,
    signer,
    httpUrl,
    taskQueue,
    async start(workflow, args, start = {}) {
      return client.workflow.start(workflow, {
        taskQueue,
        workflowId: start.workflowId ?? `${workflow}-${randomUUID().slice(0, 8)}`,
        args: [args],
        memo: {
          startedBy: start.startedBy ?? 'slack:U_ALICE',
          ...(start.slack ? { slack: start.slack } : {}),
        },
      });
    },
    probe(probeOptions, start) {
      return harness.start('approvalProbe', probeOptions, start);
    },
    async notified(requestId, count = 1) {
      await waitUntil(
        async () =>
          (await store.events({ requestId })).filter((e) => e.kind === 'notified').length >= count ||
          undefined,
        `notifications of ${requestId}`,
      );
    },
    async startWorkers() {
      const nativeConnection =
        options.temporal?.nativeConnection ??
        (await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS }));
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue,
        workflowBundle: { codePath: await approvalBundle() },
        activities: activities.forTier('light'),
        dataConverter,
        // A killed worker's sticky queue should hand its runs back quickly.
        stickyQueueScheduleToStartTimeout: '1 second',
      });
      running = { worker, done: worker.run(), ...(options.temporal ? {} : { connection: nativeConnection }) };
    },
    async stopWorkers() {
      if (!running) return;
      const { worker, done, connection: workerConnection } = running;
      running = undefined;
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
      await workerConnection?.close();
    },
    async close() {
      await harness.stopWorkers();
      await app.stop();
      await slack.close();
      await mail.close();
      mailer.close();
      worker.close();
      await delivery?.close();
      await new Promise((resolve) => http.close(resolve));
      http.closeAllConnections();
      await connection?.close();
      await db.end();
    },
  };
  if (options.workers !== false) await harness.startWorkers();
  return harness;
}
