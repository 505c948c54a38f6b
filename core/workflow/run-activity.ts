import { proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { z } from 'zod';
import type { ActivityRunOptions, ActivitySpec } from './activity-spec';
import { taskQueueForTier } from './task-queues';

/** Run an activity by its spec (imported from the tool's specs.ts): its tier, timeouts and retries. */
export function runActivity<I extends z.ZodType, O extends z.ZodType>(
  spec: ActivitySpec<I, O>,
  input: z.input<I>,
  overrides: Partial<ActivityOptions> = {},
): Promise<z.output<O>> {
  return runNamedActivity(spec.name, spec, input, overrides) as Promise<z.output<O>>;
}

/**
 * Run an activity known only by name, with the options the Actions Hub lists for it (an agent's
 * tool call): no catalogue of every spec needs to live in the sandbox. The activity validates
 * its input on the worker and refuses bad input without retries (InvalidInput).
 */
export function runNamedActivity(
  name: string,
  options: ActivityRunOptions,
  input: unknown,
  overrides: Partial<ActivityOptions> = {},
): Promise<unknown> {
  const activities = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>({
    taskQueue: taskQueueForTier(options.tier),
    startToCloseTimeout: options.startToCloseTimeout,
    ...(options.heartbeatTimeout ? { heartbeatTimeout: options.heartbeatTimeout } : {}),
    retry: options.retry,
    ...overrides,
  });
  return activities[name]!(input);
}
