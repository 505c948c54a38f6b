import { proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { z } from 'zod';
import type { ActivitySpec } from './activity-spec';
import { taskQueueForTier } from './task-queues';

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
    const activities = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>({
      taskQueue: taskQueueForTier(spec.tier),
      startToCloseTimeout: spec.startToCloseTimeout,
      ...(spec.heartbeatTimeout ? { heartbeatTimeout: spec.heartbeatTimeout } : {}),
      retry: spec.retry,
      ...overrides,
    });
    return activities[spec.name]!(input);
  }
}
