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

/**
 * The workflow-side view of the activity registry: run a registered activity by spec or by name on
 * its tier's task queue, with the spec's timeouts and retry policy. Workflow-safe (specs are zod only).
 */
export class ActivityCatalogue {
  readonly #specs: ReadonlyMap<string, ActivitySpec>;

  constructor(specs: readonly ActivitySpec[]) {
    this.#specs = new Map(specs.map((spec) => [spec.name, spec]));
  }

  spec(name: string): ActivitySpec {
    const spec = this.#specs.get(name);
    if (!spec) {
      throw new Error(`Unknown activity "${name}". Known: ${[...this.#specs.keys()].sort().join(', ')}`);
    }
    return spec;
  }

  /** Run an activity; the spec gives the types, overrides tune one call. */
  run<I extends z.ZodType, O extends z.ZodType>(
    spec: ActivitySpec<I, O>,
    input: z.input<I>,
    overrides?: Partial<ActivityOptions>,
  ): Promise<z.output<O>>;
  run(name: string, input: unknown, overrides?: Partial<ActivityOptions>): Promise<unknown>;
  async run(
    specOrName: ActivitySpec | string,
    input: unknown,
    overrides: Partial<ActivityOptions> = {},
  ): Promise<unknown> {
    const spec = typeof specOrName === 'string' ? this.spec(specOrName) : specOrName;
    return runNamedActivity(spec.name, spec, input, overrides);
  }
}
