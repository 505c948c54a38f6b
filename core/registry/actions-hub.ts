import { z } from 'zod';
import { ErrorCode, PantheonError } from '../errors';
import { closestNames } from '../suggest';
import type { ActivityRegistry } from './activity-registry';
import type { ActivityRunOptions, ActivitySpec } from '../workflow/activity-spec';
import type { LogicRegistry } from './logic-registry';
import type { WorkflowRegistry } from './workflow-registry';

export type JsonSchema = Record<string, unknown>;

/** What an agent (LLM tool calling) sees of one action. */
export interface ActionDescription {
  readonly name: string;
  readonly description: string;
  readonly type: 'activity' | 'workflow' | 'business_logic';
  readonly labels: readonly string[];
  /** Changes the world; agents must get an approval before running it. */
  readonly sideEffecting: boolean;
  readonly parameters: JsonSchema;
  readonly returns: JsonSchema;
  /**
   * How a workflow runs it, so it needs no catalogue: an activity's own tier, timeouts and retries;
   * for business logic, those of its executor activity.
   */
  readonly runOptions?: ActivityRunOptions;
  /**
   * Business logic only: the activity that runs it (`code.execute`, on the heavy tier), called
   * with `{ function: name, input: args }`; its result's `output` is the function's.
   */
  readonly executor?: string;
}

/** Business-logic functions (defineLogic) as actions, and the activity that runs them. */
export interface LogicActions {
  readonly functions: LogicRegistry;
  /** The code executor's spec (code.execute): each function's runOptions are its. */
  readonly executor: ActivitySpec;
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

const runOptionsOf = (spec: ActivitySpec): ActivityRunOptions => ({
  tier: spec.tier,
  startToCloseTimeout: spec.startToCloseTimeout,
  ...(spec.heartbeatTimeout ? { heartbeatTimeout: spec.heartbeatTimeout } : {}),
  retry: spec.retry,
});

/**
 * One catalogue of activities, workflows and business-logic functions as actions with JSON
 * schemas, for agents. Only what is marked `agentCallable` is in it (opt-in: platform plumbing such
 * as approvals.* or slack.* never is); filtered by labels and an allow-list; `execute` validates
 * arguments and runs the action, refusing by name anything not listed (and business logic, which
 * runs only through its executor on the heavy tier).
 */
export class ActionsHub {
  constructor(
    private readonly sources: {
      readonly activities?: ActivityRegistry;
      readonly workflows?: WorkflowRegistry;
      readonly runWorkflow?: WorkflowRunner;
      readonly logic?: LogicActions;
    } = {},
  ) {}

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
      runOptions: runOptionsOf(spec),
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
    const logic = this.sources.logic;
    const functions = (logic?.functions.list() ?? []).map(({ fqn, logic: f }) => ({
      name: fqn,
      description: f.description,
      type: 'business_logic' as const,
      labels: f.labels,
      // Pure computation in a thread without the worker's environment: it changes nothing.
      sideEffecting: false,
      agentCallable: f.agentCallable,
      input: f.input,
      output: f.output,
      runOptions: runOptionsOf(logic!.executor),
      executor: logic!.executor.name,
    }));
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
        ...('executor' in a ? { executor: a.executor } : {}),
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
      case 'business_logic':
        // Only on the heavy tier, in its own thread: never in the process that lists the actions.
        throw new PantheonError(
          ErrorCode.NotAllowed,
          `${name} is business logic: run it with the ${action.executor} activity ({ function: "${name}", input }) on the ${action.runOptions?.tier} tier`,
        );
    }
  }
}
