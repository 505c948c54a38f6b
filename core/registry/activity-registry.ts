import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { z } from 'zod';
import { ErrorCode, PantheonError } from '../errors';
import { closestNames } from '../suggest';
import { parseOrThrow } from '../validation';
import type { ActivitySpec } from '../workflow/activity-spec';
import { callerLocation } from '../workflow/location';
import type { Tier } from '../workflow/tiers';
import { assertUnique } from './unique';

export type ActivityFunction<I extends z.ZodType, O extends z.ZodType> = (
  input: z.output<I>,
) => Promise<z.input<O>>;

/** An activity spec bound to its implementation (Node side; may use any I/O library). */
export interface ActivityImplementation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly spec: ActivitySpec<I, O>;
  readonly run: ActivityFunction<I, O>;
  readonly location: string;
}

export function implementActivity<I extends z.ZodType, O extends z.ZodType>(
  spec: ActivitySpec<I, O>,
  run: ActivityFunction<I, O>,
): ActivityImplementation<I, O> {
  return { spec, run, location: callerLocation() };
}

/**
 * Activities by name. `execute` validates the input before and the output after, so a bad
 * payload fails with every bad field named instead of deep inside a tool.
 */
export class ActivityRegistry {
  readonly #activities = new Map<string, ActivityImplementation>();
  readonly #closers: (() => Promise<void>)[] = [];

  /** Clients the activities close over (Redis, tracing) are closed with the registry. */
  onClose(close: () => Promise<void>): this {
    this.#closers.push(close);
    return this;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#closers.splice(0).map((close) => close()));
  }

  register(...implementations: ActivityImplementation[]): this {
    for (const implementation of implementations) {
      assertUnique('activity', this.#activities, implementation.spec.name, implementation.spec.location);
      this.#activities.set(implementation.spec.name, implementation);
    }
    return this;
  }

  get(name: string): ActivityImplementation {
    const found = this.#activities.get(name);
    if (found) return found;
    const known = [...this.#activities.keys()].sort();
    const close = closestNames(name, known);
    throw new PantheonError(
      ErrorCode.UnknownActivity,
      `Unknown activity "${name}".${close.length ? ` Did you mean ${close.join(', ')}?` : ''} Known: ${known.join(', ') || '(none)'}`,
      { known },
    );
  }

  has(name: string): boolean {
    return this.#activities.has(name);
  }

  list(filter: { tier?: Tier; labels?: readonly string[] } = {}): ActivitySpec[] {
    return [...this.#activities.values()]
      .map(({ spec }) => spec)
      .filter((spec) => !filter.tier || spec.tier === filter.tier)
      .filter((spec) => !filter.labels?.length || filter.labels.some((label) => spec.labels.includes(label)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async execute(name: string, input: unknown): Promise<unknown> {
    const { spec, run } = this.get(name);
    const parsed: unknown = parseOrThrow(spec.input, input, `input for activity ${name}`);
    const output = await run(parsed);
    return parseOrThrow(spec.output, output, `output of activity ${name}`, ErrorCode.InvalidOutput);
  }

  /**
   * The activities of one tier as Temporal wants them: name → function. A PantheonError leaves as
   * an ApplicationFailure whose `type` is its code, so retry policies and workflows can match it.
   */
  forTier(tier: Tier): Record<string, (input: unknown) => Promise<unknown>> {
    return Object.fromEntries(
      this.list({ tier }).map((spec) => [
        spec.name,
        (input: unknown) => {
          const run = () => this.execute(spec.name, input).catch(toActivityFailure);
          return spec.heartbeatTimeout ? withHeartbeats(msToNumber(spec.heartbeatTimeout) / 3, run) : run();
        },
      ]),
    );
  }
}

/** Temporal names a plain error's failure type after its class; ours carry their code instead. */
export function toActivityFailure(error: unknown): never {
  if (error instanceof PantheonError) {
    throw ApplicationFailure.create({
      type: error.code,
      message: error.message,
      details: error.details ? [error.details] : [],
      cause: error,
    });
  }
  throw error;
}

/** Heartbeats while `work` runs, so Temporal notices a dead worker within the heartbeat timeout. */
async function withHeartbeats<T>(everyMs: number, work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
