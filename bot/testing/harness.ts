import { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { Logger } from '../../core/logger';
import { createLogger } from '../../core/logger';
import type { WorkflowRegistry } from '../../core/registry/workflow-registry';
import { Runs } from '../../core/runs';
import type { PolicyInput } from '../../core/policy/schema';
import { startStack } from '../../tests/support/stack';
import { testPolicy } from '../../tests/support/policy';
import type { Stack } from '../../tests/support/stack';
import { LocalSlackServer } from '@pantheon/local-slack';
import type { LocalSlackOptions, ResponseUrlPost, SlashCommandResult } from '@pantheon/local-slack';
import { startBot } from '../server';
import type { RunningBot } from '../server';

export interface BotHarness {
  readonly slack: LocalSlackServer;
  readonly stack: Stack;
  readonly bot: RunningBot;
  readonly runs: Runs;
  /** Workflows started on this harness's task queues (nothing else shares them). */
  countWorkflows(): Promise<number>;
  /** The command's first answer through its response_url (or ack). */
  answer(command: SlashCommandResult, timeoutMs?: number): Promise<ResponseUrlPost>;
  close(): Promise<void>;
}

export interface BotHarnessOptions {
  /** Extra workflow definitions for the bot (tests of access rules); default the catalogue. */
  readonly workflows?: WorkflowRegistry;
  /** Builds the bot's Runs from the stack's, e.g. with a client that cannot reach Temporal. */
  readonly runs?: (stack: Stack, workflows: WorkflowRegistry) => Runs;
  readonly slack?: LocalSlackOptions;
  readonly env?: NodeJS.ProcessEnv;
  readonly workers?: boolean;
  /** The deployment policy for the bot and workers (default: tests/support/policy.ts's). */
  readonly policy?: PolicyInput;
}

const signingSecret = 'bot-test-signing-secret';

/**
 * The bot end to end, with nothing of ours replaced: a local Slack, the real Bolt app on its HTTP
 * receiver (a free port), real workers (with the Slack activities) on task queues of their own,
 * and the real Temporal, Postgres and Redis.
 */
export async function startBotHarness(options: BotHarnessOptions = {}): Promise<BotHarness> {
  const slack = new LocalSlackServer({ signingSecret, ...options.slack });
  await slack.start();
  const stack = await startStack(
    {
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      ...options.env,
    },
    {
      workers: options.workers ?? true,
      // Extra workflows are runnable by everyone (their own `access` lists still narrow that).
      policy: options.policy ?? testPolicy({}, options.workflows?.list().map((w) => w.name) ?? []),
    },
  );
  const workflows = options.workflows ?? stack.runs.workflows;
  const runs = options.runs
    ? options.runs(stack, workflows)
    : new Runs(stack.client, workflows, stack.config);
  const redis = new Redis(stack.config.REDIS_URL, { maxRetriesPerRequest: 1 });
  // Bolt logs each refused signature at warn; the tests assert those refusals themselves.
  const logger: Logger = createLogger({
    ...stack.config,
    LOG_PRETTY: false,
    LOG_LEVEL: 'error',
  } satisfies Config);
  const bot = await startBot({
    config: stack.config,
    runs,
    db: stack.db,
    redis,
    logger,
    listen: { port: 0, host: '127.0.0.1' },
  });
  slack.setAppUrl(`${bot.url}/slack/events`);
  const queue = `${stack.config.TEMPORAL_TASK_QUEUE_PREFIX}-${stack.config.WORKFLOW_TIER}`;
  return {
    slack,
    stack,
    bot,
    runs,
    async countWorkflows() {
      return (await stack.client.workflow.count(`TaskQueue = "${queue}"`)).count;
    },
    async answer(command, timeoutMs = 10_000) {
      const event = await slack.waitFor(
        'response_url_posted',
        (e) => e.post.responseUrl === command.responseUrl,
        timeoutMs,
      );
      return event.post;
    },
    async close() {
      await bot.stop();
      redis.disconnect();
      await stack.close();
      await slack.close();
    },
  };
}
