import { Context } from '@temporalio/activity';
import type { z } from 'zod';
import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import type { TraceContext } from './models';
import type { LlmRouter } from './router';
import { llmEmbed, llmGenerate } from './specs';
import type { llmGenerateInput, llmGenerateOutput } from './specs';
import { schemaFromJson } from './structured-output';

export interface LlmActivityDependencies {
  readonly router: LlmRouter;
}

/**
 * Activities of the LLM tool. Run ids come from the Temporal activity context (so every
 * generation of a run lands in one Langfuse trace); cancellation aborts the provider request.
 */
export function createLlmActivities({ router }: LlmActivityDependencies): ActivityImplementation[] {
  return [
    implementActivity(llmGenerate, async (input) => generate(router, input)),
    implementActivity(llmEmbed, async (input) => {
      const { trace, signal } = activityContext(input.trace);
      return router.embed({ ...input, trace }, { signal });
    }),
  ];
}

async function generate(
  router: LlmRouter,
  { structured, ...input }: z.output<typeof llmGenerateInput>,
): Promise<z.input<typeof llmGenerateOutput>> {
  const { trace, signal } = activityContext(input.trace);
  const request = { ...input, trace };
  if (!structured) return router.generate(request, { signal });
  const { schema, name, description, maxRepairs } = structured;
  return router.generateStructured(request, schemaFromJson(schema), { jsonSchema: schema, name, description, maxRepairs }, { signal });
}

/** Ids and cancellation from the running activity; none outside one (tests, scripts). */
function activityContext(trace: TraceContext | undefined): { trace: TraceContext | undefined; signal?: AbortSignal } {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return { trace };
  }
  const { workflowExecution, activityId } = context.info;
  return {
    trace: { runId: workflowExecution?.runId, workflowId: workflowExecution?.workflowId, activityId, ...trace },
    signal: context.cancellationSignal,
  };
}
