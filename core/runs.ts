import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import type { CoreConfig } from './config';
import { taskQueueFor } from './config';
import { ErrorCode, PantheonError } from './errors';
import type { WorkflowRegistry } from './registry/workflow-registry';
import type { WorkflowDefinition } from './workflow/workflow-definition';
import { parseOrThrow } from './validation';
import { budgetQueryName } from './workflow/budget-contract';
import type { BudgetStatus } from './workflow/budget-contract';
import { progressQuery } from './workflow/progress-contract';
import type { ProgressSnapshot } from './workflow/progress-contract';

export interface StartOptions {
  /** Derived from the request (Slack trigger, CLI) to make starts idempotent. */
  readonly workflowId?: string;
  /** Who started the run, e.g. `slack:U123` or `cli:alice`. */
  readonly startedBy?: string;
  readonly memo?: Record<string, unknown>;
}

export interface StartedRun {
  readonly workflowId: string;
  readonly runId: string;
  /** False when the id was already taken: the existing run is returned, nothing new starts. */
  readonly started: boolean;
  readonly url: string;
}

export interface RunStatus {
  readonly workflowId: string;
  readonly runId: string;
  readonly workflow: string;
  readonly status: WorkflowExecutionDescription['status']['name'];
  readonly startedAt: Date;
  readonly closedAt?: Date;
  readonly startedBy?: string;
  readonly progress?: ProgressSnapshot;
  /** LLM spending and caps, for runs that keep a budget (tools/llm/workflow/run-llm.ts). */
  readonly budget?: BudgetStatus;
  readonly url: string;
}

/**
 * Starting and steering runs of registered workflows — the one place the CLI, the bot and the
 * Actions Hub go through, so validation and idempotency are the same everywhere.
 */
export class Runs {
  constructor(
    readonly client: Client,
    readonly workflows: WorkflowRegistry,
    private readonly config: CoreConfig,
  ) {}

  async start(name: string, input: unknown, options: StartOptions = {}): Promise<StartedRun> {
    const definition = this.workflows.get(name);
    const parsed = parseOrThrow(definition.input, input, `input for ${name}`);
    const workflowId = options.workflowId ?? `${name}-${randomUUID().slice(0, 8)}`;
    try {
      const handle = await this.client.workflow.start(definition.workflowType, {
        taskQueue: taskQueueFor(this.config, this.config.WORKFLOW_TIER),
        workflowId,
        args: [parsed],
        // A retried request for a running or finished id must not start a second run: both throw
        // WorkflowExecutionAlreadyStartedError, answered below with the existing run.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { workflow: name, startedBy: options.startedBy ?? 'unknown', ...options.memo },
      });
      const runId = handle.firstExecutionRunId;
      return { workflowId, runId, started: true, url: this.url(workflowId, runId) };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const description = await this.client.workflow.getHandle(workflowId).describe();
      return {
        workflowId,
        runId: description.runId,
        started: false,
        url: this.url(workflowId, description.runId),
      };
    }
  }

  handle(workflowId: string): WorkflowHandle {
    return this.client.workflow.getHandle(workflowId);
  }

  /** Temporal's description of a run, as it is (WorkflowNotFoundError when there is none). */
  describe(workflowId: string): Promise<WorkflowExecutionDescription> {
    return this.handle(workflowId).describe();
  }

  /** What the run returned; its failure (WorkflowFailedError) when it failed. */
  result(workflowId: string): Promise<unknown> {
    return this.handle(workflowId).result();
  }

  async progress(workflowId: string): Promise<ProgressSnapshot | undefined> {
    try {
      return await this.handle(workflowId).query(progressQuery);
    } catch {
      return undefined; // not every workflow reports progress, and closed runs may not answer
    }
  }

  async budget(workflowId: string): Promise<BudgetStatus | undefined> {
    try {
      return await this.handle(workflowId).query<BudgetStatus>(budgetQueryName);
    } catch {
      return undefined; // a workflow without an LLM budget has no such query
    }
  }

  async status(workflowId: string): Promise<RunStatus> {
    const description = await this.#describe(workflowId);
    const memo = (description.memo ?? {}) as { workflow?: string; startedBy?: string };
    return {
      workflowId,
      runId: description.runId,
      workflow: memo.workflow ?? this.definitionByType(description.type)?.name ?? description.type,
      status: description.status.name,
      startedAt: description.startTime,
      closedAt: description.closeTime,
      startedBy: memo.startedBy,
      // A closed run answers queries only by replay on a worker; never let a missing worker hang status.
      ...(await within(description.status.name === 'RUNNING' ? 10_000 : 2_000, async () => ({
        progress: await this.progress(workflowId),
        budget: await this.budget(workflowId),
      }))),
      url: this.url(workflowId, description.runId),
    };
  }

  async cancel(workflowId: string): Promise<void> {
    await this.#describe(workflowId);
    await this.handle(workflowId).cancel();
  }

  /** Sends a signal after checking the workflow has it and the payload fits its schema. */
  async signal(workflowId: string, signalName: string, payload: unknown): Promise<void> {
    const description = await this.#describe(workflowId);
    const definition = this.definitionByType(description.type);
    const schema = definition?.signalSchemas[signalName];
    if (!definition || !schema) {
      const known = definition ? Object.keys(definition.signalSchemas) : [];
      throw new PantheonError(
        ErrorCode.InvalidInput,
        `Workflow ${definition?.name ?? description.type} has no signal "${signalName}"${known.length ? ` (it has: ${known.join(', ')})` : ''}`,
      );
    }
    const parsed = parseOrThrow(schema, payload, `payload of signal ${signalName}`);
    await this.handle(workflowId).signal(signalName, parsed);
  }

  definitionByType(workflowType: string): WorkflowDefinition | undefined {
    return this.workflows.list().find((w) => w.workflowType === workflowType);
  }

  url(workflowId: string, runId?: string): string {
    const base = this.config.TEMPORAL_UI_URL.replace(/\/$/, '');
    const ns = encodeURIComponent(this.config.TEMPORAL_NAMESPACE);
    return `${base}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${runId}` : ''}/history`;
  }

  async #describe(workflowId: string): Promise<WorkflowExecutionDescription> {
    try {
      return await this.describe(workflowId);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw new PantheonError(ErrorCode.InvalidInput, `No run with id "${workflowId}"`);
      }
      throw error;
    }
  }
}

/** The value of `work`, or an empty object when it takes longer than `ms`. */
async function within<T extends object>(ms: number, work: () => Promise<T>): Promise<Partial<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Partial<T>>((resolve) => (timer = setTimeout(() => resolve({}), ms)));
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
