import { z } from 'zod';

/**
 * Schemas of the code executor. Workflow-safe: zod only. The function's own input and output are
 * checked by its own schemas (defineLogic in workflows/<area>/logic/), on the worker: before its
 * thread starts and after it returns.
 */
export const executeInput = z.object({
  function: z
    .string()
    .min(1)
    .describe(
      'fully qualified name of a business-logic function: <area>/logic/<file>.<name>, e.g. invoices/logic/late-fee.computeLateFee',
    ),
  input: z.unknown().describe("the function's input, validated by its input schema before its thread starts"),
});

export const executeOutput = z.object({
  output: z.unknown().describe("the function's result, validated by its output schema"),
  durationMs: z.number().nonnegative().describe('wall-clock time of the call, thread start to result, in ms'),
});

export type ExecuteInput = z.output<typeof executeInput>;
export type ExecuteOutput = z.input<typeof executeOutput>;

/**
 * Failure types of code.execute (all non-retryable: running the same code on the same input again
 * ends the same way). Workflows branch on `failure.type`. Besides these: UnknownLogic (no such
 * function; the message names the closest), InvalidInput and InvalidOutput (the function's schemas).
 */
export const codeExecutionFailure = {
  /** The function threw, rejected, or its file failed to load. */
  failed: 'LogicFunctionFailed',
  /** It ran past CODE_EXECUTOR_TIMEOUT_MS; its thread was stopped. */
  timedOut: 'LogicFunctionTimedOut',
  /** It used more heap than CODE_EXECUTOR_MAX_MEMORY_MB; its thread was stopped. */
  outOfMemory: 'LogicFunctionOutOfMemory',
} as const;
