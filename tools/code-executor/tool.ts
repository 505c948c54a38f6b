import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorCode, PantheonError } from '../../core/errors';
import type { LogicRegistry, RegisteredLogic } from '../../core/registry/logic-registry';
import { Tool } from '../../core/registry/tool';
import { parseOrThrow } from '../../core/validation';
import type { CodeExecutorConfig } from './config';
import { codeExecutionFailure } from './models';
import type { ExecuteInput, ExecuteOutput } from './models';

export type CodeExecutorSettings = Pick<
  CodeExecutorConfig,
  'CODE_EXECUTOR_TIMEOUT_MS' | 'CODE_EXECUTOR_MAX_MEMORY_MB'
>;

/** The thread's entry (plain JavaScript: it registers tsx itself). */
export const threadEntry = join(import.meta.dirname, 'thread.mjs');

/** What the thread reports (thread.mjs), or what became of it. */
type Outcome =
  | { readonly kind: 'returned'; readonly output: unknown }
  | { readonly kind: 'threw'; readonly phase: string; readonly error: ThreadError }
  | { readonly kind: 'timedOut' }
  | { readonly kind: 'outOfMemory' }
  | { readonly kind: 'exited'; readonly exitCode: number };

interface ThreadError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

type ThreadMessage = { ok: true; output: unknown } | { ok: false; phase: string; error: ThreadError };

/**
 * Runs registered business-logic functions (workflows/<area>/logic/, core/workflow/logic.ts) by
 * name, each call in a fresh worker thread: an empty environment (`env: {}`, so no secret of the
 * worker's is in its process.env), a heap cap (resourceLimits) and a wall-clock timer
 * (worker.terminate()). The input is validated before the thread starts and the output after it
 * returns, by the function's own schemas. A function that throws, runs too long or uses too much
 * memory fails the call for good (non-retryable) and takes only its thread with it.
 *
 * A thread is isolation for limits and secrets in the environment, not a sandbox for hostile
 * code: it may still read files and use the network, and the cap is V8's heap (an ArrayBuffer's
 * bytes live outside it and count only against the process). Business logic is this repository's own,
 * reviewed code, and the sandbox lint rules (workflows/**) keep it free of I/O imports.
 */
export class CodeExecutorTool extends Tool {
  readonly name = 'code-executor';

  constructor(
    private readonly logic: LogicRegistry,
    private readonly settings: CodeExecutorSettings,
  ) {
    super();
  }

  /** The thread needs its entry file and tsx (a production dependency) to load .ts files. */
  protected override async initialize(): Promise<void> {
    if (!existsSync(threadEntry))
      throw new PantheonError(
        ErrorCode.ConfigInvalid,
        `code executor: its thread entry ${threadEntry} is missing`,
      );
    try {
      createRequire(threadEntry).resolve('tsx/esm/api');
    } catch {
      throw new PantheonError(
        ErrorCode.ConfigInvalid,
        'code executor: the tsx package is not installed; business-logic threads need it to load TypeScript',
      );
    }
  }

  /** code.execute: the function by name, its input and output checked by its schemas. */
  async execute({ function: fqn, input }: ExecuteInput): Promise<ExecuteOutput> {
    const entry = this.logic.get(fqn);
    const parsed: unknown = parseOrThrow(entry.logic.input, input, `input of ${fqn}`);
    const started = performance.now();
    const outcome = await this.runInThread(entry, parsed);
    const durationMs = Math.round(performance.now() - started);
    if (outcome.kind !== 'returned') throw this.failure(fqn, outcome);
    const output: unknown = parseOrThrow(
      entry.logic.output,
      outcome.output,
      `output of ${fqn}`,
      ErrorCode.InvalidOutput,
    );
    return { output, durationMs };
  }

  private runInThread(entry: RegisteredLogic, input: unknown): Promise<Outcome> {
    const worker = new Worker(threadEntry, {
      workerData: { file: entry.file, name: entry.logic.name, input },
      // A copy of this object is the thread's process.env: nothing of the worker's (secrets).
      env: {},
      // Not the worker process's flags (--inspect, loaders): the thread registers tsx itself.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.settings.CODE_EXECUTOR_MAX_MEMORY_MB },
    });
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // The thread may hold timers or handles of its own: stop it once it has answered.
        void worker.terminate().finally(() => resolve(outcome));
      };
      const timer = setTimeout(() => settle({ kind: 'timedOut' }), this.settings.CODE_EXECUTOR_TIMEOUT_MS);
      worker.once('message', (message: ThreadMessage) =>
        settle(
          message.ok
            ? { kind: 'returned', output: message.output }
            : { kind: 'threw', phase: message.phase, error: message.error },
        ),
      );
      worker.once('messageerror', (error: Error) =>
        settle({ kind: 'threw', phase: 'result', error: threadError(error) }),
      );
      worker.once('error', (error: Error & { code?: string }) =>
        settle(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { kind: 'outOfMemory' }
            : { kind: 'threw', phase: 'run', error: threadError(error) },
        ),
      );
      worker.once('exit', (exitCode) => settle({ kind: 'exited', exitCode }));
    });
  }

  /** A thread's end as the non-retryable failure a workflow sees, naming the function and what happened. */
  private failure(fqn: string, outcome: Exclude<Outcome, { kind: 'returned' }>): ApplicationFailure {
    const { CODE_EXECUTOR_TIMEOUT_MS: timeoutMs, CODE_EXECUTOR_MAX_MEMORY_MB: memoryMb } = this.settings;
    switch (outcome.kind) {
      case 'threw': {
        const what =
          outcome.phase === 'load'
            ? 'failed to load'
            : outcome.phase === 'result'
              ? 'returned a value that cannot leave its thread'
              : 'threw';
        return ApplicationFailure.nonRetryable(
          `code.execute: ${fqn} ${what}: ${outcome.error.name}: ${outcome.error.message}`,
          codeExecutionFailure.failed,
          {
            function: fqn,
            phase: outcome.phase,
            error: outcome.error.name,
            stack: outcome.error.stack?.slice(0, 2000),
          },
        );
      }
      case 'timedOut':
        return ApplicationFailure.nonRetryable(
          `code.execute: ${fqn} did not finish within ${timeoutMs} ms (CODE_EXECUTOR_TIMEOUT_MS); its thread was stopped`,
          codeExecutionFailure.timedOut,
          { function: fqn, timeoutMs },
        );
      case 'outOfMemory':
        return ApplicationFailure.nonRetryable(
          `code.execute: ${fqn} ran out of memory (over ${memoryMb} MB of heap, CODE_EXECUTOR_MAX_MEMORY_MB); its thread was stopped`,
          codeExecutionFailure.outOfMemory,
          { function: fqn, maxMemoryMb: memoryMb },
        );
      case 'exited':
        return ApplicationFailure.nonRetryable(
          `code.execute: ${fqn} ended its thread (exit code ${outcome.exitCode}) without a result`,
          codeExecutionFailure.failed,
          { function: fqn, exitCode: outcome.exitCode },
        );
    }
  }
}

function threadError(error: Error): ThreadError {
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}
