import { defineQuery } from '@temporalio/workflow';

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
}

export const progressQuery = defineQuery<ProgressSnapshot>('pantheon.progress');
