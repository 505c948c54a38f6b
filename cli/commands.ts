import type { Runs } from '../core/runs';
import type { WorkflowRegistry } from '../core/registry/workflow-registry';
import { describeField, schemaFields } from '../core/input/schema-fields';
import { parseArgumentsOrThrow } from '../core/input/parse-arguments';
import { ErrorCode, PantheonError } from '../core/errors';
import { describeFailure } from './failure';
import { renderProgress } from './progress-bar';
import type { BudgetStatus } from '../core/workflow/budget-contract';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Rewrites the current status line in place (a terminal), or prints it (a pipe). */
  readonly status: (text: string) => void;
  readonly operator: string;
}

/** `pantheon list [--label x]` */
export function list(registry: WorkflowRegistry, io: CliIo, labels: string[]): number {
  const workflows = registry.list({ labels });
  if (workflows.length === 0) {
    io.err(labels.length ? `No workflow has label ${labels.join(' or ')}.` : 'No workflows are registered.');
    return 1;
  }
  const width = Math.max(...workflows.map((w) => w.name.length));
  for (const w of workflows) {
    io.out(`${w.name.padEnd(width)}  ${w.description}${w.labels.length ? `  [${w.labels.join(', ')}]` : ''}`);
  }
  return 0;
}

/** Input from `--input '{json}'` or `key=value` words, validated against the workflow's schema. */
export function inputFor(
  registry: WorkflowRegistry,
  workflow: string,
  json: string | undefined,
  words: string[],
): unknown {
  const definition = registry.get(workflow);
  if (json !== undefined && words.length > 0) {
    throw new PantheonError(
      ErrorCode.InvalidInput,
      'Give the input either as --input JSON or as key=value words, not both',
    );
  }
  try {
    return parseArgumentsOrThrow(definition.input, json ?? words.join(' '));
  } catch (error) {
    const fields = schemaFields(definition.input)
      .map((f) => `  ${describeField(f)}`)
      .join('\n');
    if (error instanceof PantheonError)
      throw new PantheonError(error.code, `${error.message}\nInputs of ${workflow}:\n${fields}`);
    throw error;
  }
}

/** `pantheon run`: start, show live progress, print the result; exit code 0 only on success. */
export async function run(
  runs: Runs,
  io: CliIo,
  workflow: string,
  input: unknown,
  options: { id?: string; wait: boolean; pollMs?: number },
): Promise<number> {
  const started = await runs.start(workflow, input, {
    workflowId: options.id,
    startedBy: `cli:${io.operator}`,
  });
  io.err(
    `${started.started ? 'Started' : 'Already running'} ${workflow} as ${started.workflowId}\n  ${started.url}`,
  );
  if (!options.wait) {
    io.out(started.workflowId);
    return 0;
  }
  const handle = runs.handle(started.workflowId);
  const begin = Date.now();
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  const result = handle.result().then(
    (value: unknown) => (outcome = { ok: true, value }),
    (error: unknown) => (outcome = { ok: false, error }),
  );
  let lastWaiting: string | undefined;
  while (!outcome) {
    const progress = await runs.progress(started.workflowId);
    if (outcome) break;
    io.status(renderProgress(progress, Date.now() - begin));
    if (progress?.state === 'waiting' && progress.waitingFor !== lastWaiting) {
      lastWaiting = progress.waitingFor;
      const definition = runs.workflows.get(workflow);
      const signals = Object.keys(definition.signalSchemas);
      // Decisions are signed Updates, never signals: approvals are answered with `pantheon approve`.
      const hint = signals.length
        ? `Send it with: pantheon signal ${started.workflowId} ${signals[0]} '{...}'`
        : `An approval? \`pantheon approvals --pending\` lists it (${started.workflowId}/approval-N); decide with \`pantheon approve <request-id>\` or \`pantheon reject <request-id> --comment "why"\`.`;
      io.err(`\nWaiting for ${progress.waitingFor}. ${hint}`);
    }
    await Promise.race([result, new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 300))]);
  }
  io.status('');
  if (outcome.ok) {
    io.err(`✅ ${workflow} completed in ${((Date.now() - begin) / 1000).toFixed(1)}s`);
    io.out(JSON.stringify(outcome.value, null, 2));
    return 0;
  }
  const failure = describeFailure(outcome.error);
  io.err(`❌ ${workflow} failed (${started.workflowId}): ${failure.type}: ${failure.message}`);
  return 1;
}

/** `pantheon status <id>` */
export async function status(runs: Runs, io: CliIo, id: string): Promise<number> {
  const s = await runs.status(id);
  io.out(`${s.workflowId}  ${s.workflow}  ${s.status}`);
  io.out(
    `  started ${s.startedAt.toISOString()}${s.startedBy ? ` by ${s.startedBy}` : ''}${s.closedAt ? `, closed ${s.closedAt.toISOString()}` : ''}`,
  );
  if (s.progress)
    io.out(`  ${renderProgress(s.progress, (s.closedAt ?? new Date()).getTime() - s.startedAt.getTime())}`);
  if (s.budget) io.out(`  ${renderBudget(s.budget)}`);
  if (s.status === 'COMPLETED') io.out(JSON.stringify(await runs.handle(id).result(), null, 2));
  if (s.status === 'FAILED') {
    const failure = await runs
      .handle(id)
      .result()
      .then(() => undefined, describeFailure);
    if (failure) io.out(`  ${failure.type}: ${failure.message}`);
  }
  io.out(`  ${s.url}`);
  return 0;
}

/** `pantheon cancel <id>` */
export async function cancel(runs: Runs, io: CliIo, id: string): Promise<number> {
  await runs.cancel(id);
  io.out(`Cancellation requested for ${id}`);
  return 0;
}

/** `pantheon signal <id> <signal> [json]` */
export async function signal(
  runs: Runs,
  io: CliIo,
  id: string,
  name: string,
  json: string | undefined,
): Promise<number> {
  let payload: unknown = undefined;
  if (json !== undefined) {
    try {
      payload = JSON.parse(json);
    } catch {
      throw new PantheonError(
        ErrorCode.InvalidInput,
        `The signal payload must be JSON, e.g. '{"approve":true}' (got ${json})`,
      );
    }
  }
  if (name.startsWith('pantheon.budget.') || name.startsWith('pantheon.approval.'))
    throw new PantheonError(
      ErrorCode.InvalidInput,
      `Decisions are signed, not signals: use \`pantheon budget ${id} raise|deny\` or \`pantheon approve|reject <request-id>\`.`,
    );
  await runs.signal(id, name, payload);
  io.out(`Signal ${name} sent to ${id}`);
  return 0;
}

/** `LLM 1,250 of 5,000 tokens, $0.0031 (2 calls) — waiting for a budget raise: tokens 6100 of 5000` */
export function renderBudget(budget: BudgetStatus): string {
  const tokens = `${budget.totalTokens.toLocaleString('en-US')}${budget.maxTokens !== undefined ? ` of ${budget.maxTokens.toLocaleString('en-US')}` : ''} tokens`;
  const cost = `$${budget.costUsd.toFixed(4)}${budget.maxCostUsd !== undefined ? ` of $${budget.maxCostUsd.toFixed(4)}` : ''}`;
  const state =
    budget.state === 'waiting'
      ? ` — waiting for a budget raise: ${budget.pending?.reasons.join(', ') ?? ''} (answer with \`pantheon budget <run-id> raise|deny\`)`
      : budget.state === 'denied'
        ? ' — a raise was denied'
        : '';
  return `LLM ${tokens}, ${cost} (${budget.calls} call${budget.calls === 1 ? '' : 's'})${state}`;
}
