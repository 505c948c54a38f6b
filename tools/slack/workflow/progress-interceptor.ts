import { CancellationScope, TemporalFailure, isCancellation, workflowInfo } from '@temporalio/workflow';
import type {
  Next,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { slackTarget } from '../models';
import type { RunStatus } from '../models';
import { failureSummary } from '../../../core/workflow/failure-summary';
import { setProgressReporter } from '../../../core/workflow/progress-reporter';
import { SlackThread } from './thread';

/**
 * Threaded Slack progress for every workflow, with no change to its code: when the run was started
 * from Slack (memo `{ slack: { channel, user, threadTs? } }`), post a root message at start, let
 * `Progress` add to its thread, and post the outcome at the end. Loaded into the workflow bundle
 * through `workflowInterceptorModules` (worker/bundle.ts, worker/tier-worker.ts).
 */
class SlackProgressInterceptor implements WorkflowInboundCallsInterceptor {
  async execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const info = workflowInfo();
    const target = slackTarget.safeParse(info.memo?.slack);
    if (!target.success) return next(input);

    const workflow = typeof info.memo?.workflow === 'string' ? info.memo.workflow : info.workflowType;
    const thread = new SlackThread(target.data, {
      workflowId: info.workflowId,
      runId: info.runId,
      workflow,
      startedAt: info.runStartTime.toISOString(),
    });
    setProgressReporter(thread);
    const ended = (state: RunStatus['state'], failure?: RunStatus['failure']): RunStatus => ({
      state,
      step: 0,
      at: new Date().toISOString(),
      ...(failure ? { failure } : {}),
    });

    let result: unknown;
    try {
      result = await next(input);
    } catch (error) {
      // Only Temporal failures fail the run; anything else (a bug) fails the workflow *task*, which
      // Temporal retries after a fix, so the thread must not announce an end that may not come.
      if (!(error instanceof TemporalFailure)) throw error;
      const status = isCancellation(error) ? ended('cancelled') : ended('failed', failureSummary(error));
      // A cancelled run still gets its last word in: the scope that was cancelled is the workflow's.
      await CancellationScope.nonCancellable(() => thread.finish(status));
      throw error;
    }
    await CancellationScope.nonCancellable(() => thread.finish(ended('completed'), result));
    return result;
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new SlackProgressInterceptor()],
});
