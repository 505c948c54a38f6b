import type { z } from 'zod';
import type { Duration, RetryPolicy } from '@temporalio/common';
import type { Tier } from './tiers';
import { callerLocation } from './location';

/**
 * What a workflow needs to know about an activity: its name, tier, schemas and defaults.
 * Workflow-safe (zod only), so workflows can run activities by name; the implementation is bound
 * separately with `implementActivity` in the tool's activities.ts.
 */
export interface ActivitySpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'activity';
  readonly name: string;
  readonly description: string;
  readonly tier: Tier;
  readonly input: I;
  readonly output: O;
  readonly labels: readonly string[];
  /** Changes the world outside Pantheon (posts, sends, writes); agents need approval first. */
  readonly sideEffecting: boolean;
  /** Offered to agents through the Actions Hub. Opt-in (default false): new activities stay hidden. */
  readonly agentCallable: boolean;
  readonly startToCloseTimeout: Duration;
  /** When set, the worker heartbeats while the activity runs, so a crashed worker is noticed this fast. */
  readonly heartbeatTimeout?: Duration;
  readonly retry: RetryPolicy;
  readonly location: string;
}

export type ActivitySpecOptions<I extends z.ZodType, O extends z.ZodType> = Pick<
  ActivitySpec<I, O>,
  'name' | 'description' | 'tier' | 'input' | 'output'
> &
  Partial<
    Pick<
      ActivitySpec<I, O>,
      'labels' | 'sideEffecting' | 'agentCallable' | 'startToCloseTimeout' | 'heartbeatTimeout' | 'retry'
    >
  >;

/** How a workflow runs an activity: the part of a spec that travels with an Actions Hub listing. */
export type ActivityRunOptions = Pick<
  ActivitySpec,
  'tier' | 'startToCloseTimeout' | 'heartbeatTimeout' | 'retry'
>;

export const defaultActivityRetry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 5,
  nonRetryableErrorTypes: [
    'InvalidInput',
    'InvalidOutput',
    'NotAllowed',
    'ConfigInvalid',
    'BlobNotFound',
    'BlobTooLarge',
  ],
};

export function defineActivity<I extends z.ZodType, O extends z.ZodType>(
  options: ActivitySpecOptions<I, O>,
): ActivitySpec<I, O> {
  return Object.freeze({
    kind: 'activity',
    labels: [],
    sideEffecting: false,
    agentCallable: false,
    startToCloseTimeout: '1 minute',
    ...options,
    retry: { ...defaultActivityRetry, ...options.retry },
    location: callerLocation(),
  });
}
