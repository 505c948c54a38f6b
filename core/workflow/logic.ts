import type { z } from 'zod';
import { callerLocation } from './location';

/**
 * A business-logic function: plain, deterministic TypeScript with zod input and output, declared
 * beside the workflows that own it, in `workflows/<area>/logic/<file>.ts`:
 *
 *   export const computeLateFee = defineLogic({ name: 'computeLateFee', description, input, output, run });
 *
 * Its fully qualified name is its path under `workflows/` and its name:
 * `<area>/logic/<file>.<name>` (here `invoices/logic/late-fee.computeLateFee`), so the name alone
 * says where the code is. It runs only through the `code.execute` activity on the heavy tier, in a
 * worker thread of its own (time and memory capped, no environment): workflows name it and take
 * its types with `import type`, never its code (tools/code-executor/workflow/run-logic.ts).
 *
 * Workflow-safe (type imports only), so logic files — which the sandbox lint rules cover — may
 * import it.
 */
export interface LogicFunction<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'logic';
  /** The function's name in its file: a JavaScript identifier, equal to the export's name. */
  readonly name: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly labels: readonly string[];
  /** Offered to agents through the Actions Hub (type `business_logic`). Opt-in, like activities. */
  readonly agentCallable: boolean;
  /** Runs in the executor's worker thread, on input already validated by `input`. */
  readonly run: (input: z.output<I>) => z.input<O> | Promise<z.input<O>>;
  readonly location: string;
}

export type LogicOptions<I extends z.ZodType, O extends z.ZodType> = Pick<
  LogicFunction<I, O>,
  'name' | 'description' | 'input' | 'output' | 'run'
> &
  Partial<Pick<LogicFunction<I, O>, 'labels' | 'agentCallable'>>;

/** `name` of a logic function: an identifier (`computeLateFee`). */
export const logicNamePattern = /^[A-Za-z_$][\w$]*$/;

/**
 * A fully qualified name: `<area>/logic/<file>.<name>`, area and file in kebab-case
 * (`invoices/logic/late-fee.computeLateFee`).
 */
export const logicFqnPattern = /^([a-z0-9][a-z0-9-]*)\/logic\/([a-z0-9][a-z0-9-]*)\.([A-Za-z_$][\w$]*)$/;

export function defineLogic<I extends z.ZodType, O extends z.ZodType>(
  options: LogicOptions<I, O>,
): LogicFunction<I, O> {
  if (!logicNamePattern.test(options.name))
    throw new Error(
      `defineLogic: "${options.name}" is not a valid name; use an identifier such as computeLateFee`,
    );
  return Object.freeze({
    kind: 'logic',
    labels: [],
    agentCallable: false,
    ...options,
    location: callerLocation(),
  });
}

export function isLogicFunction(value: unknown): value is LogicFunction {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'logic' &&
    typeof (value as { run?: unknown }).run === 'function'
  );
}

/** The fully qualified name of `name` in `workflows/<area>/logic/<file>.ts`. */
export function logicFqn(area: string, file: string, name: string): string {
  return `${area}/logic/${file}.${name}`;
}

/** What a logic function takes (before its schema's defaults) and returns (parsed). */
export type LogicInput<L> = L extends LogicFunction<infer I, z.ZodType> ? z.input<I> : never;
export type LogicOutput<L> = L extends LogicFunction<z.ZodType, infer O> ? z.output<O> : never;
