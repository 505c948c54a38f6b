import type { WebClient } from '@slack/web-api';
import type { BlobStore } from '../blobs/store';
import type { CoreConfig } from '../config';
import type { Database } from '../db/pool';
import type { Delivery } from '../delivery/contract';
import type { Logger } from '../logger';
import type { Policy } from '../policy/policy';
import type { ActivitySpec } from '../workflow/activity-spec';
import type { ActivityImplementation, ActivityRegistry } from './activity-registry';
import type { LogicRegistry } from './logic-registry';
import type { WorkflowRegistry } from './workflow-registry';

/**
 * What a worker hands every tool when it builds its activities: the parsed settings (a tool
 * declares the part it reads), the shared clients, and the registries the Actions Hub reads.
 */
export interface ToolContext<C extends CoreConfig = CoreConfig> {
  readonly config: C;
  readonly db: Database;
  /** Every Slack write goes through it (pacing, retries, de-duplication). */
  readonly delivery: Delivery;
  /** A Slack workspace is configured (a bot token, or a delivery handed in by a test). */
  readonly slackConfigured: boolean;
  /** Slack reads (user groups, addresses); unset without a bot token. */
  readonly slack?: WebClient;
  readonly policy: Policy;
  readonly logger: Logger;
  /** Files and large values, passed between activities by reference (core/blobs). */
  readonly blobs: BlobStore;
  /** The registry being built: read lazily (at call time) it holds every tool's activities. */
  readonly activities: ActivityRegistry;
  readonly workflows: WorkflowRegistry;
  /** The business-logic functions (workflows/<area>/logic/) the code executor runs. */
  readonly logic: LogicRegistry;
  /** Clients a tool opens are closed with the worker. */
  onClose(close: () => Promise<void>): void;
}

/**
 * One tool as a worker sees it: its activity specs (the single source: specs.ts) and a factory
 * over its clients (Temporal's createActivities pattern). `tools/<name>/activities.ts` exports
 * it as `tool`; the worker finds every one by folder, so a new tool is one folder.
 */
export interface ToolModule<C extends CoreConfig = CoreConfig> {
  readonly kind: 'tool';
  readonly name: string;
  readonly specs: readonly ActivitySpec[];
  readonly activities: (context: ToolContext<C>) => ActivityImplementation[];
}

export function defineTool<C extends CoreConfig = CoreConfig>(
  tool: Omit<ToolModule<C>, 'kind'>,
): ToolModule<C> {
  return Object.freeze({ kind: 'tool', ...tool });
}

export function isToolModule(value: unknown): value is ToolModule {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'tool' &&
    typeof (value as { activities?: unknown }).activities === 'function'
  );
}
