import type { z } from 'zod';
import { ApplicationFailure, defineQuery, defineSignal } from '@temporalio/workflow';
import type { QueryDefinition, SignalDefinition } from '@temporalio/workflow';
import { callerLocation } from './location';

/** Who may start a workflow from Slack; empty or absent lists mean everyone. */
export interface WorkflowAccess {
  readonly slackUsers?: readonly string[];
  readonly slackUserGroups?: readonly string[];
  readonly slackChannels?: readonly string[];
}

type SignalSchemas = Record<string, z.ZodType>;
type QuerySchemas = Record<string, z.ZodType>;

/**
 * A workflow's catalogue entry: user-facing name (kebab-case), description, labels, zod input and
 * output, and its signals and queries as Temporal definitions. Workflow-safe: the workflow file
 * defines it next to the workflow function, and the bot, CLI and worker import the same object.
 */
export interface WorkflowDefinition<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  S extends SignalSchemas = SignalSchemas,
  Q extends QuerySchemas = QuerySchemas,
> {
  readonly kind: 'workflow';
  readonly name: string;
  /** The exported function name in the workflow bundle: `sample-order` → `sampleOrder`. */
  readonly workflowType: string;
  readonly description: string;
  readonly labels: readonly string[];
  readonly input: I;
  readonly output: O;
  readonly signalSchemas: S;
  readonly querySchemas: Q;
  readonly signals: { readonly [K in keyof S]: SignalDefinition<[z.output<S[K]>], K & string> };
  readonly queries: { readonly [K in keyof Q]: QueryDefinition<z.output<Q[K]>, [], K & string> };
  readonly access: WorkflowAccess;
  /** Example key=value line shown by `help`. */
  readonly example?: string;
  readonly sideEffecting: boolean;
  /** Offered to agents through the Actions Hub. Opt-in (default false): new workflows stay hidden. */
  readonly agentCallable: boolean;
  readonly location: string;
  /**
   * The run's input, validated by the workflow itself as its first step (a Temporal client may
   * start it with anything): a bad one fails the run at once, InvalidInput, not retried.
   */
  parseRunInput(raw: unknown): z.output<I>;
}

export interface WorkflowDefinitionOptions<
  I extends z.ZodType,
  O extends z.ZodType,
  S extends SignalSchemas,
  Q extends QuerySchemas,
> {
  name: string;
  description: string;
  input: I;
  output: O;
  labels?: readonly string[];
  signals?: S;
  queries?: Q;
  access?: WorkflowAccess;
  example?: string;
  sideEffecting?: boolean;
  agentCallable?: boolean;
}

export function workflowTypeOf(name: string): string {
  return name.replace(/[-_.\s]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function defineWorkflow<
  I extends z.ZodType,
  O extends z.ZodType,
  S extends SignalSchemas = Record<never, z.ZodType>,
  Q extends QuerySchemas = Record<never, z.ZodType>,
>(options: WorkflowDefinitionOptions<I, O, S, Q>): WorkflowDefinition<I, O, S, Q> {
  if (!/^[a-z][a-z0-9-]*$/.test(options.name)) {
    throw new TypeError(`Workflow name "${options.name}" must be kebab-case (a-z, 0-9, -)`);
  }
  const signalSchemas = (options.signals ?? {}) as S;
  const querySchemas = (options.queries ?? {}) as Q;
  const signals = Object.fromEntries(Object.keys(signalSchemas).map((key) => [key, defineSignal(key)]));
  const queries = Object.fromEntries(Object.keys(querySchemas).map((key) => [key, defineQuery(key)]));
  return Object.freeze({
    kind: 'workflow',
    name: options.name,
    workflowType: workflowTypeOf(options.name),
    description: options.description,
    labels: options.labels ?? [],
    input: options.input,
    output: options.output,
    signalSchemas,
    querySchemas,
    signals: signals as unknown as WorkflowDefinition<I, O, S, Q>['signals'],
    queries: queries as unknown as WorkflowDefinition<I, O, S, Q>['queries'],
    access: options.access ?? {},
    example: options.example,
    sideEffecting: options.sideEffecting ?? false,
    agentCallable: options.agentCallable ?? false,
    location: callerLocation(),
    parseRunInput(raw: unknown): z.output<I> {
      const parsed = options.input.safeParse(raw);
      if (!parsed.success)
        throw ApplicationFailure.nonRetryable(`Invalid input: ${parsed.error.message}`, 'InvalidInput');
      return parsed.data;
    },
  });
}
