import { Context } from '@temporalio/activity';
import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import type { TraceContext } from './models';
import type { LlmRouter } from './router';
import { llmEmbed, llmGenerate, llmSpecs } from './specs';
import { budgetSpecs } from '../../core/workflow/budget-contract';
import { defineTool } from '../../core/registry/tool-module';
import type { ToolContext } from '../../core/registry/tool-module';
import { voteVerifyKeysFor } from '../../approvals/votes/keys';
import type { CoreConfig } from '../../core/config';
import type { ApprovalsConfig } from '../../approvals/config';
import { createBudgetAskActivities } from './budget-ask';
import { slackBudgetAsk } from '../slack/budget-question';
import type { LlmConfig } from './config';
import { createLlmRouter } from './tool';
import { runLlmGenerate } from './generate';
import { toActivityFailure } from './errors';

export interface LlmActivityDependencies {
  readonly router: LlmRouter;
}

/**
 * Activities of the LLM tool. Run ids come from the Temporal activity context (so every
 * generation of a run lands in one Langfuse trace); cancellation aborts the provider request.
 */
export function createLlmActivities({ router }: LlmActivityDependencies): ActivityImplementation[] {
  return [
    implementActivity(llmGenerate, async (input) => {
      const { trace, signal } = activityContext(input.trace);
      return runLlmGenerate(router, { ...input, trace }, { signal }).catch(rethrowAsFailure);
    }),
    implementActivity(llmEmbed, async (input) => {
      const { trace, signal } = activityContext(input.trace);
      return router.embed({ ...input, trace }, { signal }).catch(rethrowAsFailure);
    }),
  ];
}

/** Ids and cancellation from the running activity; none outside one (tests, scripts). */
function activityContext(trace: TraceContext | undefined): {
  trace: TraceContext | undefined;
  signal?: AbortSignal;
} {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return { trace };
  }
  const { workflowExecution, activityId } = context.info;
  return {
    trace: {
      runId: workflowExecution?.runId,
      workflowId: workflowExecution?.workflowId,
      activityId,
      ...trace,
    },
    signal: context.cancellationSignal,
  };
}

/** Router errors carry their code as the Temporal failure type (ConfigInvalid is not retried). */
function rethrowAsFailure(error: unknown): never {
  throw toActivityFailure(error);
}

/**
 * The LLM tool for the worker: the router (providers, cache, tracing; closed with the worker) and
 * `budget.askRaise` — a paused run's question goes to its Slack thread (buttons → signed
 * decisions), or without Slack waits for `pantheon budget`; either way the run learns the keys
 * decisions are checked with.
 */
export const tool = defineTool<CoreConfig & LlmConfig & ApprovalsConfig>({
  name: 'llm',
  specs: [...llmSpecs, ...budgetSpecs],
  activities: (context: ToolContext<CoreConfig & LlmConfig & ApprovalsConfig>) => {
    const { config, db, delivery, logger } = context;
    const llm = createLlmRouter({ config, logger });
    context.onClose(() => llm.close());
    return [
      ...createLlmActivities({ router: llm.router }),
      ...createBudgetAskActivities({
        ask: context.slackConfigured ? slackBudgetAsk({ delivery, db }) : undefined,
        voteKeys: voteVerifyKeysFor(config),
      }),
    ];
  },
});
