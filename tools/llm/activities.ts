import { Context } from '@temporalio/activity';
import type { z } from 'zod';
import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import type { TraceContext } from './models';
import type { CallOptions, LlmRouter } from './router';
import { llmEmbed, llmGenerate } from './specs';
import type { llmGenerateInput, llmGenerateOutput } from './specs';
import { schemaFromJson } from './structured-output';
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

/** llm.generate: plain generation, or structured output validated against the input's JSON Schema. */
export async function runLlmGenerate(
  router: LlmRouter,
  { structured, ...input }: z.output<typeof llmGenerateInput>,
  options: CallOptions = {},
): Promise<z.input<typeof llmGenerateOutput>> {
  if (!structured) return router.generate(input, options);
  const { schema, name, description, maxRepairs } = structured;
  return router.generateStructured(
    input,
    schemaFromJson(schema),
    { jsonSchema: schema, name, description, maxRepairs },
    options,
  );
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
