import { z } from 'zod';
import type { RetryPolicy } from '@temporalio/common';
import { defineActivity } from '../../core/workflow/activity-spec';
import { embedRequestSchema, embedResultSchema, generateRequestSchema, generateResultSchema } from './models';

/** Activity specs of the LLM tool (workflow-safe: zod only; implementations in activities.ts). */

export const structuredRequestSchema = z.object({
  /** JSON Schema of the answer; build it with `structured(zodSchema)`. */
  schema: z.record(z.string(), z.unknown()),
  name: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,64}$/)
    .optional(),
  description: z.string().optional(),
  maxRepairs: z.number().int().min(0).max(10).optional(),
});

export const llmGenerateInput = generateRequestSchema.omit({ responseFormat: true }).extend({
  /** Ask for JSON matching a schema; the answer arrives validated in `data`. */
  structured: structuredRequestSchema.optional(),
});
export type LlmGenerateInput = z.input<typeof llmGenerateInput>;

export const llmGenerateOutput = generateResultSchema.extend({
  /** The validated structured answer (parse it with your zod schema in the workflow for its type). */
  data: z.unknown().optional(),
  rounds: z.number().int().positive().optional(),
});
export type LlmGenerateOutput = z.output<typeof llmGenerateOutput>;

/** LLM calls cost money and providers rate-limit: back off longer than the default between attempts. */
const llmRetry: RetryPolicy = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '2 minutes',
  maximumAttempts: 4,
  nonRetryableErrorTypes: [
    'InvalidInput',
    'InvalidOutput',
    'NotAllowed',
    'ConfigInvalid',
    'LlmOutputInvalid',
    'GuardrailViolation',
  ],
};

export const llmGenerate = defineActivity({
  name: 'llm.generate',
  description:
    'Generate text, tool calls or structured JSON with a model alias (fallbacks, cache, guardrails, tracing)',
  tier: 'llm',
  input: llmGenerateInput,
  output: llmGenerateOutput,
  labels: ['llm'],
  startToCloseTimeout: '5 minutes',
  retry: llmRetry,
});

export const llmEmbed = defineActivity({
  name: 'llm.embed',
  description: 'Embed texts (batched, in input order) with an embedding model alias',
  tier: 'llm',
  input: embedRequestSchema,
  output: embedResultSchema,
  labels: ['llm'],
  startToCloseTimeout: '10 minutes',
  retry: llmRetry,
});

export const llmSpecs = [llmGenerate, llmEmbed];

/** The `structured` field of an llm.generate input for a zod schema (workflow-safe). */
export function structured(
  schema: z.ZodType,
  options: Omit<z.input<typeof structuredRequestSchema>, 'schema'> = {},
): z.input<typeof structuredRequestSchema> {
  return { ...options, schema: z.toJSONSchema(schema, { unrepresentable: 'any' }) };
}
