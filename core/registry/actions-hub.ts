import { z } from 'zod';
import { ErrorCode, PantheonError } from '../errors';
import { closestNames } from '../suggest';
import { parseOrThrow } from '../validation';
import type { ActivityRegistry } from './activity-registry';
import type { ActivityRunOptions } from '../workflow/activity-spec';
import { callerLocation } from '../workflow/location';
import { assertUnique } from './unique';
import type { WorkflowRegistry } from './workflow-registry';

export type JsonSchema = Record<string, unknown>;

/** What an agent (LLM tool calling) sees of one action. */
export interface ActionDescription {
  readonly name: string;
  readonly description: string;
  readonly type: 'activity' | 'workflow' | 'function';
  readonly labels: readonly string[];
  /** Changes the world; agents must get an approval before running it. */
  readonly sideEffecting: boolean;
  readonly parameters: JsonSchema;
  readonly returns: JsonSchema;
  /** For activities: how a workflow runs it (tier, timeouts, retries), so it needs no catalogue. */
  readonly runOptions?: ActivityRunOptions;
}

/** A registered business-logic function, exposed as an action. */
export interface FunctionAction<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly labels: readonly string[];
  readonly sideEffecting: boolean;
  /** Offered to agents. Opt-in (default false), like activities and workflows. */
  readonly agentCallable: boolean;
  readonly run: (input: z.output<I>) => Promise<z.input<O>>;
  readonly location: string;
}

export function defineAction<I extends z.ZodType, O extends z.ZodType>(
  options: Omit<FunctionAction<I, O>, 'location' | 'labels' | 'sideEffecting' | 'agentCallable'> &
    Partial<Pick<FunctionAction<I, O>, 'labels' | 'sideEffecting' | 'agentCallable'>>,
): FunctionAction<I, O> {
  return { labels: [], sideEffecting: false, agentCallable: false, ...options, location: callerLocation() };
}

/** Starts a workflow and waits for its result; the Runs service provides it. */
export type WorkflowRunner = (name: string, input: unknown) => Promise<unknown>;

export interface ActionFilter {
  readonly labels?: readonly string[];
  /** Only these action names (an agent's allow-list); absent means all. */
  readonly allow?: readonly string[];
}

const toJsonSchema = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/**
 * One catalogue of activities, workflows and functions as actions with JSON schemas, for agents.
 * Only what is marked `agentCallable` is in it (opt-in: platform plumbing such as approvals.* or
 * slack.* never is); filtered by labels and an allow-list; `execute` validates arguments and runs
 * the action, refusing by name anything not listed.
 */
export class ActionsHub {
  readonly #functions = new Map<string, FunctionAction>();

  constructor(
    private readonly sources: {
      readonly activities?: ActivityRegistry;
      readonly workflows?: WorkflowRegistry;
      readonly runWorkflow?: WorkflowRunner;
    } = {},
  ) {}

  register(...actions: FunctionAction[]): this {
    for (const action of actions) {
      assertUnique('action', this.#functions, action.name, action.location);
      if (this.sources.activities?.has(action.name) || this.sources.workflows?.has(action.name)) {
        throw new PantheonError(
          ErrorCode.DuplicateRegistration,
          `The action "${action.name}" (at ${action.location}) clashes with an activity or workflow of that name`,
        );
      }
      this.#functions.set(action.name, action);
    }
    return this;
  }

  list(filter: ActionFilter = {}): ActionDescription[] {
    const activities = (this.sources.activities?.list() ?? []).map((spec) => ({
      name: spec.name,
      description: spec.description,
      type: 'activity' as const,
      labels: spec.labels,
      sideEffecting: spec.sideEffecting,
      agentCallable: spec.agentCallable,
      input: spec.input,
      output: spec.output,
      runOptions: {
        tier: spec.tier,
        startToCloseTimeout: spec.startToCloseTimeout,
        ...(spec.heartbeatTimeout ? { heartbeatTimeout: spec.heartbeatTimeout } : {}),
        retry: spec.retry,
      } satisfies ActivityRunOptions,
    }));
    const workflows = (this.sources.workflows?.list() ?? []).map((w) => ({
      name: w.name,
      description: w.description,
      type: 'workflow' as const,
      labels: w.labels,
      sideEffecting: w.sideEffecting,
      agentCallable: w.agentCallable,
      input: w.input,
      output: w.output,
    }));
    const functions = [...this.#functions.values()].map((f) => ({ ...f, type: 'function' as const }));
    return [...activities, ...workflows, ...functions]
      .filter((a) => a.agentCallable)
      .filter((a) => !filter.labels?.length || filter.labels.some((label) => a.labels.includes(label)))
      .filter((a) => !filter.allow || filter.allow.includes(a.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((a) => ({
        name: a.name,
        description: a.description,
        type: a.type,
        labels: a.labels,
        sideEffecting: a.sideEffecting,
        parameters: toJsonSchema(a.input),
        returns: toJsonSchema(a.output),
        ...('runOptions' in a ? { runOptions: a.runOptions } : {}),
      }));
  }

  describe(name: string, filter: ActionFilter = {}): ActionDescription {
    const found = this.list(filter).find((a) => a.name === name);
    if (found) return found;
    const known = this.list(filter).map((a) => a.name);
    const close = closestNames(name, known);
    throw new PantheonError(
      ErrorCode.UnknownAction,
      `Unknown or not allowed action "${name}".${close.length ? ` Did you mean ${close.join(', ')}?` : ''}`,
      { known },
    );
  }

  async execute(name: string, args: unknown, filter: ActionFilter = {}): Promise<unknown> {
    const action = this.describe(name, filter);
    switch (action.type) {
      case 'activity':
        return this.sources.activities!.execute(name, args);
      case 'workflow': {
        if (!this.sources.runWorkflow)
          throw new PantheonError(ErrorCode.NotAllowed, `Workflows cannot run from here (action ${name})`);
        const input = this.sources.workflows!.parseInput(name, args);
        return this.sources.runWorkflow(name, input);
      }
      case 'function': {
        const fn = this.#functions.get(name)!;
        const input: unknown = parseOrThrow(fn.input, args, `arguments of ${name}`);
        return parseOrThrow(fn.output, await fn.run(input), `result of ${name}`, ErrorCode.InvalidOutput);
      }
    }
  }
}
