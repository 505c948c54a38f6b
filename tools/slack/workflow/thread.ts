import { condition, log } from '@temporalio/workflow';
import { postRunFinished, postRunStarted, reportProgress } from '../specs';
import type { MessageRef, RunInfo, RunStatus, SlackTarget } from '../models';
import { runActivity } from '../../../core/workflow/run-activity';
import type { ProgressSnapshot } from '../../../core/workflow/progress-contract';
import type { ProgressChange, ProgressReporter } from '../../../core/workflow/progress-reporter';

/**
 * A run's Slack thread, workflow side: the root message, a line per step, the result. Posts run
 * one after another on a queue the workflow never waits for, so a slow or failing Slack delays
 * nothing and fails nothing; only `finish` waits, so the result is the thread's last word.
 */
export class SlackThread implements ProgressReporter {
  #queue: Promise<void> = Promise.resolve();
  #root: MessageRef | undefined;
  #rootTried = false;
  #seq = 0;

  constructor(
    private readonly target: SlackTarget,
    private readonly run: RunInfo,
  ) {
    const status: RunStatus = { state: 'running', step: 0, at: run.startedAt };
    this.#enqueue(async () => {
      try {
        this.#root = await runActivity(postRunStarted, { target, run, status });
      } finally {
        this.#rootTried = true;
      }
    });
  }

  report(snapshot: ProgressSnapshot, change: ProgressChange): void {
    const status = statusOf(snapshot);
    const seq = ++this.#seq;
    this.#enqueue(async () => {
      if (!this.#root) return; // the root never made it: nothing to thread under
      await runActivity(reportProgress, {
        target: this.target,
        run: this.run,
        root: this.#root,
        status,
        seq,
        change,
      });
    });
  }

  /** The thread this run reports in; waits (at most 30 s) for the root message when it is the thread. */
  async threadTs(): Promise<string | undefined> {
    if (!this.target.threadTs) await condition(() => this.#rootTried, '30 seconds');
    return this.target.threadTs ?? this.#root?.ts;
  }

  /** Posts the outcome after everything queued before it, and waits until it is posted. */
  async finish(status: RunStatus, result?: unknown): Promise<void> {
    this.#enqueue(async () => {
      if (!this.#root) return;
      await runActivity(postRunFinished, {
        target: this.target,
        run: this.run,
        root: this.#root,
        status,
        result,
      });
    });
    await this.#queue;
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch((error: unknown) => {
      log.warn('Slack update failed; the run goes on without it', {
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }
}

function statusOf(snapshot: ProgressSnapshot): RunStatus {
  return {
    state: snapshot.state === 'waiting' ? 'waiting' : 'running',
    step: snapshot.step,
    ...(snapshot.totalSteps ? { totalSteps: snapshot.totalSteps } : {}),
    ...(snapshot.current ? { current: snapshot.current } : {}),
    ...(snapshot.waitingFor ? { waitingFor: snapshot.waitingFor } : {}),
    at: new Date().toISOString(),
  };
}
