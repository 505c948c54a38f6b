import type { LogicFunction, LogicInput, LogicOutput } from '../../../core/workflow/logic';
import { runActivity } from '../../../core/workflow/run-activity';
import { codeExecute } from '../specs';

/**
 * Run a business-logic function from a workflow: `code.execute` on the heavy tier, by its fully
 * qualified name. The types come from the function with `import type` — its code never enters the
 * workflow bundle:
 *
 *   import type { computeLateFee } from './invoices/logic/late-fee';
 *   const fee = await runLogic<typeof computeLateFee>('invoices/logic/late-fee.computeLateFee', input);
 *
 * The worker validates the input and output with the function's schemas; a failure's `type` is one
 * of `codeExecutionFailure` (tools/code-executor/models.ts), UnknownLogic, InvalidInput or
 * InvalidOutput, none retried. The output crosses Temporal as JSON (a Date arrives as a string).
 */
export async function runLogic<L extends LogicFunction>(
  fqn: string,
  input: LogicInput<L>,
): Promise<LogicOutput<L>> {
  const { output } = await runActivity(codeExecute, { function: fqn, input });
  return output as LogicOutput<L>;
}
