import { setHandler } from '@temporalio/workflow';
import { deliveryFailedSignal, progressQuery } from './progress-contract';
import type { DeliveryFailure, ProgressSnapshot } from './progress-contract';
import { progressReporter } from './progress-reporter';

type Step = { name: string; startedAt: string; finishedAt?: string };

/**
 * The one workflow-side progress API: `await progress.step('Fetching invoices')`. It answers the
 * progress query and tells the run's reporter, if an interceptor installed one (the Slack thread).
 * Workflow time (`new Date()`) is deterministic inside Temporal's sandbox.
 */
export class Progress {
  readonly #startedAt = new Date().toISOString();
  readonly #steps: Step[] = [];
  #state: ProgressSnapshot['state'] = 'running';
  #waitingFor: string | undefined;
  readonly #deliveryFailures: DeliveryFailure[] = [];

  constructor(readonly totalSteps?: number) {
    setHandler(progressQuery, () => this.snapshot());
    setHandler(deliveryFailedSignal, (failure) => void this.#deliveryFailures.push(failure));
  }

  async step(name: string): Promise<void> {
    this.#finishCurrent();
    this.#steps.push({ name, startedAt: new Date().toISOString() });
    this.#state = 'running';
    this.#waitingFor = undefined;
    progressReporter()?.report(this.snapshot(), 'step');
  }

  /** The run is blocked on something outside it (a signal, a person). */
  async waiting(reason: string): Promise<void> {
    this.#state = 'waiting';
    this.#waitingFor = reason;
    progressReporter()?.report(this.snapshot(), 'waiting');
  }

  async resumed(): Promise<void> {
    this.#state = 'running';
    this.#waitingFor = undefined;
    progressReporter()?.report(this.snapshot(), 'resumed');
  }

  async completed(): Promise<void> {
    this.#finishCurrent();
    this.#state = 'completed';
  }

  async failed(): Promise<void> {
    this.#state = 'failed';
  }

  snapshot(): ProgressSnapshot {
    const current = this.#steps.at(-1);
    return {
      state: this.#state,
      step: this.#steps.length,
      totalSteps: this.totalSteps,
      current: current?.name,
      waitingFor: this.#waitingFor,
      startedAt: this.#startedAt,
      steps: this.#steps.map((s) => ({ ...s })),
      ...(this.#deliveryFailures.length ? { deliveryFailures: [...this.#deliveryFailures] } : {}),
    };
  }

  #finishCurrent(): void {
    const current = this.#steps.at(-1);
    if (current && !current.finishedAt) current.finishedAt = new Date().toISOString();
  }
}
