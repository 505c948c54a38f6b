import { defineQuery, defineSignal } from '@temporalio/workflow';

/** What a run reports about itself; shared by workflows (which answer) and the CLI/bot (which ask). */
export interface ProgressSnapshot {
  readonly state: 'running' | 'waiting' | 'completed' | 'failed';
  /** 1-based number of the current step; 0 before the first. */
  readonly step: number;
  readonly totalSteps?: number;
  readonly current?: string;
  readonly waitingFor?: string;
  readonly startedAt: string;
  readonly steps: readonly {
    readonly name: string;
    readonly startedAt: string;
    readonly finishedAt?: string;
  }[];
  /** Slack (or email) writes of this run that failed for good, reported by the delivery queue. */
  readonly deliveryFailures?: readonly DeliveryFailure[];
}

export interface DeliveryFailure {
  readonly method: string;
  readonly channel: string;
  readonly error: string;
}

export const progressQuery = defineQuery<ProgressSnapshot>('pantheon.progress');

/** Sent by the delivery queue when one of the run's writes fails for good. */
export const deliveryFailedSignal = defineSignal<[DeliveryFailure]>('pantheon.deliveryFailed');
