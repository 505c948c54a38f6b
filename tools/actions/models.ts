import { z } from 'zod';

/** Schemas of the actions tool: the Actions Hub as activities. Workflow-safe (zod only). */

export const actionFilterSchema = z.object({
  /** Actions having at least one of these labels; none given: every label. */
  labels: z.array(z.string().min(1)).optional(),
  /** Only these action names (an agent's allow-list); absent: all. */
  allow: z.array(z.string().min(1)).optional(),
});
export type ActionFilterInput = z.input<typeof actionFilterSchema>;

export const actionSchema = z.object({
  name: z.string(),
  description: z.string(),
  type: z.enum(['activity', 'workflow', 'function']),
  labels: z.array(z.string()),
  /** Changes the world outside Pantheon: an agent needs an approval before running it. */
  sideEffecting: z.boolean(),
  /** JSON Schema of the arguments. */
  parameters: z.record(z.string(), z.unknown()),
  returns: z.record(z.string(), z.unknown()),
});
export type Action = z.output<typeof actionSchema>;

export const listActionsInput = actionFilterSchema;
export const listActionsOutput = z.object({ actions: z.array(actionSchema) });

export const executeActionInput = actionFilterSchema.extend({
  name: z.string().min(1),
  args: z.unknown(),
});
export const executeActionOutput = z.object({ result: z.unknown() });

/** Plumbing no agent should be offered unless it names it in its allow-list. */
export const internalLabel = 'internal';
