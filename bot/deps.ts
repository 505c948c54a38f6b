import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import type { Runs } from '../core/runs';
import type { AccessPolicy } from './access/policy';
import type { Caller } from './access/caller';
import type { Assistant } from './assistant';
import type { BotConfig } from './config';
import type { FeedbackStore } from './feedback/store';
import type { RunLog } from './runs/run-log';
import type { FeedbackScorer } from '../tools/llm/feedback-scores';
import type { VoteSigner } from '../approvals/votes/signer';

/** What every listener needs, built once in bot/server.ts and handed to each `register(app, deps)`. */
export interface BotDeps {
  readonly config: Config;
  readonly settings: BotConfig;
  readonly runs: Runs;
  readonly runLog: RunLog;
  readonly feedback: FeedbackStore;
  readonly access: AccessPolicy;
  readonly assistant: Assistant;
  /** Sends feedback reactions to Langfuse as scores on the run's trace (a no-op without keys). */
  readonly scorer?: FeedbackScorer;
  /** One line per approval request of a run, for `status` (approvals/history.ts). */
  readonly approvalLines?: (workflowId: string) => Promise<string[]>;
  /** Everyone asked to approve something in a run (`slack:U…`, `email:…`): they may cancel it too. */
  readonly approversOf?: (workflowId: string) => Promise<string[]>;
  /** Signs the decisions the bot relays (budget raises; approval votes go through the Decider). */
  readonly signer: VoteSigner;
  readonly logger: Logger;
  /** For de-duplicating event deliveries across bot processes; absent: no de-duplication. */
  readonly redis?: Redis;
  /** A Temporal call bounded by BOT_TEMPORAL_TIMEOUT_MS (see runs/temporal.ts). */
  temporal<T>(call: () => Promise<T>): Promise<T>;
}

/** Bolt's context as our middleware leaves it. */
export interface BotContext {
  [key: string]: unknown;
  /** Set by middleware/caller.ts for every request that has a user. */
  caller?: Caller;
}
