import { z } from 'zod';
import { positiveInt } from '../../core/config-fields';

/**
 * Settings of the code executor (tools/code-executor), merged into config/index.ts. The limits
 * come only from here, never from an activity input: a workflow cannot lift them.
 */
export const codeExecutorConfigShape = {
  CODE_EXECUTOR_TIMEOUT_MS: positiveInt
    .pipe(z.number().max(110_000))
    .default(30_000)
    .describe(
      'wall-clock limit of one business-logic call, thread start to result, in ms (at most 110000: code.execute has 2 minutes); past it the thread is stopped',
    ),
  CODE_EXECUTOR_MAX_MEMORY_MB: positiveInt
    .pipe(z.number().min(16))
    .default(256)
    .describe(
      "heap (V8 old generation) of one business-logic call's thread, in MB (at least 16); past it the thread is stopped",
    ),
} as const;

export const codeExecutorConfigSchema = z.object(codeExecutorConfigShape);
export type CodeExecutorConfig = z.output<typeof codeExecutorConfigSchema>;
