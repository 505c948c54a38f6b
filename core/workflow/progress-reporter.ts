import type { ProgressSnapshot } from './progress-contract';

/** What changed when `Progress` reports: a new step, a wait for something outside, or the end of one. */
export type ProgressChange = 'step' | 'waiting' | 'resumed';

/**
 * Something that shows a run's progress outside Temporal (a Slack thread). Reports are synchronous
 * and must not block the workflow: a reporter queues its own work.
 */
export interface ProgressReporter {
  report(snapshot: ProgressSnapshot, change: ProgressChange): void;
  /** The Slack thread the run reports in, once known (a run that continues as new keeps it). */
  threadTs?(): Promise<string | undefined>;
}

// Module state is per workflow: Temporal's sandbox gives every workflow its own module cache.
let current: ProgressReporter | undefined;

/** Installed by a workflow interceptor before the workflow function runs. */
export function setProgressReporter(reporter: ProgressReporter | undefined): void {
  current = reporter;
}

export function progressReporter(): ProgressReporter | undefined {
  return current;
}
