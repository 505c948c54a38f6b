import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Database } from '../core/db/pool';
import { createLogger } from '../core/logger';
import type { Logger } from '../core/logger';
import type { Runs } from '../core/runs';
import { AccessPolicy } from './access/policy';
import { loadPolicy } from '../core/policy/load';
import { slackLookups } from '../core/policy/slack-lookups';
import { createApp } from './app';
import { assistantFor } from './assistant';
import { voteSignerFor } from '../approvals/votes/keys';
import { createApprovalBotServices } from '../approvals/wiring';
import { approvalHistory, describeRequest } from '../approvals/history';
import { registerApprovalListeners } from '../approvals/slack/listeners';
import { createFeedbackScorer } from '../tools/llm/feedback-scores';
import type { Assistant } from './assistant';
import type { BotConfig } from './config';
import type { BotContext, BotDeps } from './deps';
import { FeedbackStore } from './feedback/store';
import { registerListeners } from './listeners';
import { RunLog } from './runs/run-log';
import { withTemporal } from './runs/temporal';

export interface BotOptions {
  readonly config: Config;
  readonly settings?: BotConfig;
  readonly runs: Runs;
  readonly db: Database;
  readonly redis?: Redis;
  readonly logger?: Logger;
  readonly assistant?: Assistant;
  /** Where the HTTP receiver listens; default BOT_PORT on all interfaces. Ignored in Socket Mode. */
  readonly listen?: { readonly port: number; readonly host?: string };
}

export interface RunningBot {
  readonly app: App<BotContext>;
  readonly deps: BotDeps;
  /** The HTTP receiver's base URL (events, commands and interactivity all go to `${url}/slack/events`). */
  readonly url?: string;
  stop(): Promise<void>;
}

/** Builds the listeners' dependencies, checks the token, and starts receiving. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, runs, db } = options;
  // The bot's own settings are part of the one parsed Config (config/index.ts); tests may narrow them.
  const settings = options.settings ?? config;
  const logger = options.logger ?? createLogger(config, { process: 'bot' });
  const approvals = createApprovalBotServices({ config, db, client: runs.client, logger });
  const app = createApp(config, logger, approvals.routes);
  await app.init();
  const policy = loadPolicy(config.PANTHEON_POLICY_FILE, { required: Boolean(config.PANTHEON_POLICY_FILE) });
  if (!config.PANTHEON_POLICY_FILE)
    logger.warn('PANTHEON_POLICY_FILE is unset: nobody may run any workflow from Slack');
  // Our own workspace: its members are admitted; others only if the policy lists their team.
  const ownTeam = (await app.client.auth.test()).team_id;
  const lookups = slackLookups(app.client, settings.SLACK_USERGROUP_CACHE_SECONDS * 1000, (what, error) =>
    logger.warn({ err: error, what }, 'Slack read for an access check failed; denying'),
  );
  const deps: BotDeps = {
    config,
    settings,
    runs,
    runLog: new RunLog(db),
    feedback: new FeedbackStore(db),
    access: new AccessPolicy(policy, lookups, ownTeam, logger),
    assistant: options.assistant ?? assistantFor(config),
    scorer: createFeedbackScorer(config),
    approvalLines: async (workflowId) =>
      (await approvalHistory(db, workflowId)).map(({ request }) => describeRequest(request)),
    approversOf: async (workflowId) => [
      ...new Set((await approvalHistory(db, workflowId)).flatMap(({ request }) => request.approvers)),
    ],
    signer: voteSignerFor(config),
    logger,
    ...(options.redis ? { redis: options.redis } : {}),
    temporal: (call) => withTemporal(runs.client, settings.BOT_TEMPORAL_TIMEOUT_MS, call),
  };
  registerListeners(app, deps);
  registerApprovalListeners(app, approvals.listeners);
  // Email replies to approval requests: inbound SMTP and/or the Gmail poller, when configured.
  const inbound = await approvals.startInbound();

  if (config.SLACK_APP_TOKEN) {
    await app.start();
    return { app, deps, stop: async () => void (await Promise.all([app.stop(), inbound.stop()])) };
  }
  const { port = config.BOT_PORT, host } = options.listen ?? {};
  const server = (await app.start(host ? { port, host } : port)) as Server;
  const address = server.address() as AddressInfo;
  const url = `http://${host ?? '127.0.0.1'}:${address.port}`;
  return {
    app,
    deps,
    url,
    stop: async () => {
      server.closeAllConnections(); // keep-alive sockets would hold close() open
      await Promise.all([app.stop(), inbound.stop()]);
    },
  };
}
