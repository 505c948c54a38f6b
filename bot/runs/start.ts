import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import type { StartedRun } from '../../core/runs';
import type { CommandDeps } from '../deps';
import { workflowIdFor } from './ids';
import type { SlackRequest } from './ids';

/**
 * Starts a run for a Slack request: an id derived from the request (retries and double submissions
 * find the run already there), the memo that gives the run its Slack thread, and a `runs` row.
 */
export async function startRun(
  deps: CommandDeps,
  definition: WorkflowDefinition,
  input: unknown,
  request: SlackRequest,
): Promise<StartedRun> {
  const workflowId = workflowIdFor(definition.name, request);
  const slack = {
    channel: request.channel,
    user: request.user,
    ...(request.threadTs ? { threadTs: request.threadTs } : {}),
  };
  const started = await deps.temporal(() =>
    deps.runs.start(definition.name, input, {
      workflowId,
      startedBy: `slack:${request.user}`,
      memo: { slack },
    }),
  );
  // Also on a repeat: the first attempt may have died between starting and writing this.
  await deps.runLog
    .record({
      workflowId,
      runId: started.runId,
      workflow: definition.name,
      startedBy: `slack:${request.user}`,
      ...slack,
    })
    .catch((error: unknown) =>
      deps.logger.warn({ err: error, workflowId }, 'could not record the run in the runs table'),
    );
  return started;
}
