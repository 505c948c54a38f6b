import { Worker } from '@temporalio/worker';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { taskQueueFor } from '../core/config';
import type { ActivityRegistry } from '../core/registry/activity-registry';
import type { Tier } from '../core/workflow/tiers';
import { runTracingActivityInterceptors, runTracingSinks } from '../tools/llm/temporal-tracing';
import { preloadModules, workflowInterceptorModules, workflowsEntry } from './paths';

export interface TierWorkerOptions {
  readonly config: Config;
  readonly tier: Tier;
  readonly connection: NativeConnection;
  readonly activities: ActivityRegistry;
  readonly dataConverter: DataConverter;
  /** A prebuilt bundle (production, tests); otherwise workflows are bundled at start-up. */
  readonly workflowBundlePath?: string;
  readonly identity?: string;
}

const concurrencyKey = {
  light: 'WORKER_LIGHT_CONCURRENCY',
  llm: 'WORKER_LLM_CONCURRENCY',
  heavy: 'WORKER_HEAVY_CONCURRENCY',
} as const;

/** A tier with no activities that does not run workflows has nothing to poll for. */
export function tierHasWork(config: Config, tier: Tier, activities: ActivityRegistry): boolean {
  return tier === config.WORKFLOW_TIER || activities.list({ tier }).length > 0;
}

/**
 * One worker per tier, polling `<prefix>-<tier>`. The tier named by WORKFLOW_TIER also runs
 * workflow tasks on the same queue.
 */
export async function createTierWorker(options: TierWorkerOptions): Promise<Worker> {
  const { config, tier } = options;
  const runsWorkflows = tier === config.WORKFLOW_TIER;
  const bundlePath = options.workflowBundlePath ?? config.WORKFLOW_BUNDLE_PATH;
  // A prebuilt bundle already holds the interceptors (worker/bundle.ts); bundling here adds them.
  const workflowOptions: Partial<WorkerOptions> = !runsWorkflows
    ? {}
    : bundlePath
      ? { workflowBundle: { codePath: bundlePath } }
      : {
          workflowsPath: workflowsEntry(),
          interceptors: { workflowModules: workflowInterceptorModules },
          bundlerOptions: { preloadModules },
        };
  return Worker.create({
    connection: options.connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: taskQueueFor(config, tier),
    ...(options.identity ? { identity: options.identity } : {}),
    activities: options.activities.forTier(tier),
    maxConcurrentActivityTaskExecutions: config[concurrencyKey[tier]],
    dataConverter: options.dataConverter,
    shutdownGraceTime: '10 seconds',
    ...workflowOptions,
    // Run tracing (Langfuse, when keyed): activity spans, and the sink workflow spans leave through.
    interceptors: { ...workflowOptions.interceptors, activity: runTracingActivityInterceptors() },
    sinks: runTracingSinks(),
  });
}
