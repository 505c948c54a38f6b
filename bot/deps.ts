import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import type { Runs, StartOptions, StartedRun } from '../core/runs';
import type { WorkflowRegistry } from '../core/registry/workflow-registry';
import type { ProgressSnapshot } from '../core/workflow/progress-contract';
import type { WorkflowDefinition } from '../core/workflow/workflow-definition';
import type { AccessPolicy } from './access/policy';
import type { Caller } from './access/caller';
import type { Assistant } from './assistant';
import type { BotConfig } from './config';
import type { FeedbackStore } from './feedback/store';
import type { RunLog } from './runs/run-log';
import type { FeedbackScorer } from '../tools/llm/feedback-scores';
import type { VoteSigner } from '../approvals/votes/signer';

/** What `status` and `cancel` read of a run's Temporal description. */
export type RunExecution = Pick<
  WorkflowExecutionDescription,
  'runId' | 'type' | 'startTime' | 'closeTime' | 'memo'
> & {
  readonly status: Pick<WorkflowExecutionDescription['status'], 'name'>;
};

/** The part of Runs (core/runs.ts) the commands use: every Temporal call a command makes. */
export interface CommandRuns {
  readonly workflows: WorkflowRegistry;
  start(name: string, input: unknown, options: StartOptions): Promise<StartedRun>;
  /** WorkflowNotFoundError when there is no such run. */
  describe(workflowId: string): Promise<RunExecution>;
  progress(workflowId: string): Promise<ProgressSnapshot | undefined>;
  /** Throws the run's failure when it failed. */
  result(workflowId: string): Promise<unknown>;
  cancel(workflowId: string): Promise<void>;
  definitionByType(workflowType: string): WorkflowDefinition | undefined;
  url(workflowId: string, runId?: string): string;
}

/**
 * What the `/pantheon` commands (commands/, runs/) need: the I/O edges as narrow interfaces, so
 * unit tests hand them fakes (testing/fakes.ts). BotDeps is one.
 */
export interface CommandDeps {
  readonly runs: CommandRuns;
  readonly runLog: Pick<RunLog, 'record' | 'recent'>;
  readonly feedback: Pick<FeedbackStore, 'forRun'>;
  /** One line per approval request of a run, for `status` (approvals/history.ts). */
  readonly approvalLines?: (workflowId: string) => Promise<string[]>;
  /** Everyone asked to approve something in a run (`slack:U…`, `email:…`): they may cancel it too. */
  readonly approversOf?: (workflowId: string) => Promise<string[]>;
  readonly logger: Logger;
  /** A Temporal call bounded by BOT_TEMPORAL_TIMEOUT_MS (see runs/temporal.ts). */
  temporal<T>(call: () => Promise<T>): Promise<T>;
}

/** What every listener needs, built once in bot/server.ts and handed to each `register(app, deps)`. */
export interface BotDeps extends CommandDeps {
  readonly config: Config;
  readonly settings: BotConfig;
  readonly runs: Runs;
  readonly runLog: RunLog;
  readonly feedback: FeedbackStore;
  readonly access: AccessPolicy;
  readonly assistant: Assistant;
  /** Sends feedback reactions to Langfuse as scores on the run's trace (a no-op without keys). */
  readonly scorer?: FeedbackScorer;
  /** Signs the decisions the bot relays (budget raises; approval votes go through the Decider). */
  readonly signer: VoteSigner;
  /** For de-duplicating event deliveries across bot processes; absent: no de-duplication. */
  readonly redis?: Redis;
}

/** Bolt's context as our middleware leaves it. */
export interface BotContext {
  [key: string]: unknown;
  /** Set by middleware/caller.ts for every request that has a user. */
  caller?: Caller;
}
