import { WorkflowNotFoundError } from '@temporalio/client';
import { ErrorCode, PantheonError } from '../../core/errors';
import type { RunStatus as RunDescription } from '../../core/runs';
import type { Caller } from '../access/caller';
import type { CommandDeps } from '../deps';

/**
 * A run's state for `status` and `cancel`. Unlike Runs.status it only queries progress while the
 * run is open: a closed run's query needs a worker to replay it, which can take longer than Slack waits.
 */
export async function describeRun(deps: CommandDeps, workflowId: string): Promise<RunDescription> {
  const { runs } = deps;
  const description = await deps
    .temporal(() => runs.describe(workflowId))
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) {
        throw new PantheonError(
          ErrorCode.InvalidInput,
          `There is no run \`${workflowId}\`. \`/pantheon status\` lists your recent runs.`,
        );
      }
      throw error;
    });
  const memo = (description.memo ?? {}) as { workflow?: string; startedBy?: string };
  const open = description.status.name === 'RUNNING';
  const progress = open
    ? await deps.temporal(() => runs.progress(workflowId)).catch(() => undefined)
    : undefined;
  return {
    workflowId,
    runId: description.runId,
    workflow: memo.workflow ?? runs.definitionByType(description.type)?.name ?? description.type,
    status: description.status.name,
    startedAt: description.startTime,
    closedAt: description.closeTime,
    startedBy: memo.startedBy,
    progress,
    url: runs.url(workflowId, description.runId),
  };
}

/**
 * Whether the caller may steer a run (cancel it, raise or stop its budget): they started it, have
 * the `operators` role, or were asked to approve something in it. Merely being allowed to run
 * the same workflow is not enough.
 */
export async function mayControl(deps: CommandDeps, run: RunDescription, caller: Caller): Promise<boolean> {
  if (!(await caller.admit()).allowed) return false;
  if (run.startedBy === `slack:${caller.user}`) return true;
  if (await caller.isOperator()) return true;
  const approvers = (await deps.approversOf?.(run.workflowId).catch(() => [])) ?? [];
  return approvers.includes(`slack:${caller.user}`);
}

/** Whether the caller may look at a run: they may steer it, or may run its workflow here. */
export async function mayView(deps: CommandDeps, run: RunDescription, caller: Caller): Promise<boolean> {
  if (await mayControl(deps, run, caller)) return true;
  if (!deps.runs.workflows.has(run.workflow)) return false;
  return (await caller.check(deps.runs.workflows.get(run.workflow))).allowed;
}
