import type { ModalView } from '@slack/types';
import { WorkflowNotFoundError } from '@temporalio/client';
import pino from 'pino';
import type { Logger } from '../../core/logger';
import { Policy } from '../../core/policy/policy';
import type { PolicyInput } from '../../core/policy/schema';
import type { SlackLookups, SlackPerson } from '../../core/policy/slack-lookups';
import type { WorkflowRegistry } from '../../core/registry/workflow-registry';
import type { StartOptions, StartedRun } from '../../core/runs';
import type { ProgressSnapshot } from '../../core/workflow/progress-contract';
import { createWorkflowRegistry } from '../../config/workflows';
import { Caller } from '../access/caller';
import { AccessPolicy } from '../access/policy';
import type { CommandContext, Reply } from '../commands/context';
import { dispatch } from '../commands/dispatch';
import { parseCommand } from '../commands/grammar';
import type { CommandDeps, CommandRuns, RunExecution } from '../deps';
import type { FeedbackEntry, FeedbackStore } from '../feedback/store';
import type { SlackRequest } from '../runs/ids';
import type { LoggedRun, RunLog } from '../runs/run-log';
import { TemporalUnavailableError } from '../runs/temporal';

/**
 * Fakes for unit-testing the `/pantheon` commands without Slack, Temporal, Postgres or Redis.
 * Only the I/O edges are fake — Temporal (Runs), the `runs` and `feedback` tables, Slack's
 * users.info / user groups and the reply channel; the workflow catalogue, the policy, AccessPolicy,
 * Caller, the parsers and the blocks are the real ones.
 */

/** The bot's own workspace in the fakes. */
export const ownTeam = 'T_OWN';
/** A fixed clock for everything the fakes date. */
export const testTime = new Date('2025-03-04T10:00:00.000Z');

/**
 * The default policy: everyone may run invoice-review, only alice and the S_FINANCE group may run
 * expense-approval, nobody the rest; U_OPS is an operator.
 */
export const testPolicy: PolicyInput = {
  roles: { operators: { slackUsers: ['U_OPS'] } },
  workflows: {
    'invoice-review': { run: { everyone: true } },
    'expense-approval': { run: { slackUsers: ['U_ALICE'], slackGroups: ['S_FINANCE'] } },
  },
};

/** Who Slack knows (users.info): members of the own workspace, a guest, someone from elsewhere. */
export const testPeople: Readonly<Record<string, SlackPerson>> = {
  U_ALICE: { team: ownTeam, guest: false, email: 'alice@example.com' },
  U_BOB: { team: ownTeam, guest: false, email: 'bob@example.com' },
  U_CAROL: { team: ownTeam, guest: false, email: 'carol@example.com' },
  U_OPS: { team: ownTeam, guest: false },
  U_GUEST: { team: ownTeam, guest: true },
  U_OUTSIDER: { team: 'T_OTHER', guest: false },
};

export const testGroups: Readonly<Record<string, readonly string[]>> = { S_FINANCE: ['U_CAROL'] };

/** Slack's side of access checks: a directory of people and groups; anyone else is unknown (as when Slack fails). */
export class FakeSlackLookups implements SlackLookups {
  /** Every user looked up, in order. */
  readonly lookedUp: string[] = [];

  constructor(
    readonly people: Record<string, SlackPerson> = { ...testPeople },
    readonly groups: Record<string, readonly string[]> = { ...testGroups },
  ) {}

  async person(user: string): Promise<SlackPerson | undefined> {
    this.lookedUp.push(user);
    return this.people[user];
  }

  async groupMembers(group: string): Promise<ReadonlySet<string>> {
    return new Set(this.groups[group] ?? []);
  }

  async emailOf(user: string): Promise<string | undefined> {
    return this.people[user]?.email;
  }
}

export type RunState = RunExecution['status']['name'];

/** A run the fake Temporal knows. */
export interface FakeRun {
  readonly workflow: string;
  status: RunState;
  readonly runId: string;
  readonly startedBy?: string;
  readonly startTime: Date;
  closeTime?: Date;
  readonly input?: unknown;
  progress?: ProgressSnapshot;
  /** What `result()` answers for a completed run. */
  result?: unknown;
  /** What `result()` throws for a failed run. */
  failure?: Error;
}

export type TemporalMethod = 'start' | 'describe' | 'progress' | 'result' | 'cancel';

/** One call to the fake Temporal; `bounded` when it was made inside `deps.temporal` (the deadline). */
export interface RunsCall {
  readonly method: TemporalMethod;
  readonly workflowId: string;
  readonly bounded: boolean;
}

export interface StartCall {
  readonly name: string;
  readonly input: unknown;
  readonly options: StartOptions;
}

/**
 * Temporal as the commands see it (CommandRuns): runs in a map, every call recorded, and any
 * method made to throw — a TemporalUnavailableError (`unreachable()`), a PantheonError, anything.
 */
export class FakeRuns implements CommandRuns {
  readonly runs = new Map<string, FakeRun>();
  readonly calls: RunsCall[] = [];
  readonly starts: StartCall[] = [];
  readonly cancelled: string[] = [];
  readonly #failures = new Map<TemporalMethod, Error>();
  #bounded = 0;

  constructor(readonly workflows: WorkflowRegistry = createWorkflowRegistry()) {}

  /** Makes `method` (or every method) throw `error` from now on. */
  failing(method: TemporalMethod | 'all', error: Error): this {
    const methods: readonly TemporalMethod[] =
      method === 'all' ? ['start', 'describe', 'progress', 'result', 'cancel'] : [method];
    for (const m of methods) this.#failures.set(m, error);
    return this;
  }

  /** Temporal does not answer: every call fails as deps.temporal reports it (runs/temporal.ts). */
  unreachable(): this {
    return this.failing('all', new TemporalUnavailableError('Temporal is unreachable'));
  }

  /** A run that is already there (started by someone, perhaps ended). */
  add(workflowId: string, run: Partial<FakeRun> & Pick<FakeRun, 'workflow'>): FakeRun {
    const added: FakeRun = {
      status: 'RUNNING',
      runId: `run-${this.runs.size + 1}`,
      startTime: testTime,
      ...run,
    };
    this.runs.set(workflowId, added);
    return added;
  }

  /** The method calls made, e.g. `['describe', 'cancel']`. */
  methods(): TemporalMethod[] {
    return this.calls.map((c) => c.method);
  }

  /** deps.temporal: runs the call, marking what it asks of Temporal as bounded. */
  readonly temporal = <T>(call: () => Promise<T>): Promise<T> => {
    this.#bounded++;
    try {
      return call();
    } finally {
      this.#bounded--;
    }
  };

  async start(name: string, input: unknown, options: StartOptions): Promise<StartedRun> {
    const workflowId = options.workflowId ?? `${name}-${this.runs.size + 1}`;
    this.#record('start', workflowId);
    this.starts.push({ name, input, options });
    const existing = this.runs.get(workflowId);
    if (existing)
      return { workflowId, runId: existing.runId, started: false, url: this.url(workflowId, existing.runId) };
    const run = this.add(workflowId, {
      workflow: name,
      input,
      ...(options.startedBy ? { startedBy: options.startedBy } : {}),
    });
    return { workflowId, runId: run.runId, started: true, url: this.url(workflowId, run.runId) };
  }

  async describe(workflowId: string): Promise<RunExecution> {
    const run = this.#known('describe', workflowId);
    return {
      runId: run.runId,
      type: this.workflows.has(run.workflow) ? this.workflows.get(run.workflow).workflowType : run.workflow,
      status: { name: run.status },
      startTime: run.startTime,
      ...(run.closeTime ? { closeTime: run.closeTime } : {}),
      memo: { workflow: run.workflow, ...(run.startedBy ? { startedBy: run.startedBy } : {}) },
    };
  }

  async progress(workflowId: string): Promise<ProgressSnapshot | undefined> {
    return this.#known('progress', workflowId).progress;
  }

  async result(workflowId: string): Promise<unknown> {
    const run = this.#known('result', workflowId);
    if (run.failure) throw run.failure;
    return run.result;
  }

  async cancel(workflowId: string): Promise<void> {
    this.#known('cancel', workflowId);
    this.cancelled.push(workflowId);
  }

  definitionByType(workflowType: string) {
    return this.workflows.list().find((w) => w.workflowType === workflowType);
  }

  url(workflowId: string, runId?: string): string {
    return `https://temporal.test/workflows/${workflowId}${runId ? `/${runId}` : ''}`;
  }

  /** Records the call (synchronously, so `bounded` is exact), then fails as configured. */
  #record(method: TemporalMethod, workflowId: string): void {
    this.calls.push({ method, workflowId, bounded: this.#bounded > 0 });
    const failure = this.#failures.get(method);
    if (failure) throw failure;
  }

  #known(method: TemporalMethod, workflowId: string): FakeRun {
    this.#record(method, workflowId);
    const run = this.runs.get(workflowId);
    if (!run) throw new WorkflowNotFoundError('workflow not found', workflowId, undefined);
    return run;
  }
}

type RecordedRun = Parameters<RunLog['record']>[0];

/** The `runs` table. */
export class FakeRunLog implements Pick<RunLog, 'record' | 'recent'> {
  readonly rows: (RecordedRun & { startedAt: Date })[] = [];
  failure: Error | undefined;

  async record(run: RecordedRun): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.rows.some((r) => r.workflowId === run.workflowId))
      this.rows.push({ ...run, startedAt: testTime });
  }

  async recent(startedBy: string, limit = 10): Promise<LoggedRun[]> {
    if (this.failure) throw this.failure;
    return this.rows
      .filter((r) => r.startedBy === startedBy)
      .slice(0, limit)
      .map(({ workflowId, workflow, startedAt }) => ({ workflowId, workflow, startedAt }));
  }
}

/** The `feedback` table, by workflow id. */
export class FakeFeedback implements Pick<FeedbackStore, 'forRun'> {
  readonly entries = new Map<string, FeedbackEntry[]>();

  async forRun(workflowId: string): Promise<FeedbackEntry[]> {
    return this.entries.get(workflowId) ?? [];
  }
}

/** One pino line: `level` (30 info, 40 warn, 50 error), `msg`, and the logged object's fields. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly level: number; readonly msg?: string };

/** A real pino logger whose lines land in `lines`. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

/** Every `text` in a reply's blocks (sections, fields, context, header, buttons), or its fallback text. */
export function shown(reply: Reply | undefined): string {
  if (!reply) return '';
  if (!reply.blocks) return reply.text;
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'text' && typeof inner === 'string') texts.push(inner);
        else walk(inner);
      }
    }
  };
  walk(reply.blocks);
  return texts.join('\n');
}

export interface CommandKitOptions {
  /** Who asks; default U_ALICE (see testPeople). */
  readonly user?: string;
  /** Where; default C_OPS. */
  readonly channel?: string;
  /** The workspace the request says it comes from (Slack Connect); default none, as in a plain command. */
  readonly team?: string;
  /** A slash command (can open a modal) or a mention (answers in a thread, no modal). */
  readonly from?: 'command' | 'mention';
  readonly policy?: PolicyInput;
  readonly people?: Record<string, SlackPerson>;
  readonly groups?: Record<string, readonly string[]>;
  /** Default: the real catalogue (config/workflows.ts). */
  readonly workflows?: WorkflowRegistry;
  /** approversOf: everyone asked to approve something, by workflow id (`slack:U…`). */
  readonly approvers?: Record<string, string[]>;
  /** approvalLines, by workflow id. */
  readonly approvalLines?: Record<string, string[]>;
}

/** A CommandContext over the fakes, and what the test looks at afterwards. */
export interface CommandKit {
  readonly ctx: CommandContext;
  readonly deps: CommandDeps;
  readonly runs: FakeRuns;
  readonly runLog: FakeRunLog;
  readonly feedback: FakeFeedback;
  readonly slack: FakeSlackLookups;
  readonly request: SlackRequest;
  /** Every ephemeral reply, in order. */
  readonly replies: Reply[];
  /** Every modal opened (slash commands only). */
  readonly modals: ModalView[];
  readonly logs: LogLine[];
  /** What the user saw in the last reply. */
  lastShown(): string;
  /** `/pantheon <text>` as Bolt would hand it over after the ack: parsed, then dispatched. */
  send(text: string): Promise<void>;
}

export function commandKit(options: CommandKitOptions = {}): CommandKit {
  const { user = 'U_ALICE', channel = 'C_OPS', from = 'command' } = options;
  const runs = new FakeRuns(options.workflows);
  const runLog = new FakeRunLog();
  const feedback = new FakeFeedback();
  const slack = new FakeSlackLookups(options.people, options.groups);
  const { logger, lines: logs } = recordingLogger();
  const deps: CommandDeps = {
    runs,
    runLog,
    feedback,
    logger,
    temporal: runs.temporal,
    approversOf: async (workflowId) => options.approvers?.[workflowId] ?? [],
    approvalLines: async (workflowId) => options.approvalLines?.[workflowId] ?? [],
  };
  const access = new AccessPolicy(Policy.from(options.policy ?? testPolicy), slack, ownTeam, logger);
  const caller = new Caller({ user, channel, ...(options.team ? { team: options.team } : {}) }, access);
  const request: SlackRequest =
    from === 'command'
      ? { kind: 'command', id: 'trigger-1', user, channel }
      : { kind: 'event', id: 'Ev1', user, channel, threadTs: '1700000000.000100' };
  const replies: Reply[] = [];
  const modals: ModalView[] = [];
  const ctx: CommandContext = {
    deps,
    caller,
    request,
    reply: async (message) => void replies.push(message),
    ...(from === 'command'
      ? {
          openModal: async (view: ModalView) => void modals.push(view),
          responseUrl: 'https://hooks.slack.test/commands/1',
        }
      : {}),
  };
  return {
    ctx,
    deps,
    runs,
    runLog,
    feedback,
    slack,
    request,
    replies,
    modals,
    logs,
    lastShown: () => shown(replies.at(-1)),
    send: (text) => dispatch(ctx, parseCommand(text)),
  };
}
