import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { tiers } from '../../core/workflow/tiers';

/** Schemas of the actions tool: the Actions Hub as activities. Workflow-safe (zod only). */

export const actionFilterSchema = z.object({
  /** Actions having at least one of these labels; none given: every label. */
  labels: z.array(z.string().min(1)).optional(),
  /** Only these action names (an agent's allow-list); absent: all. */
  allow: z.array(z.string().min(1)).optional(),
});
export type ActionFilterInput = z.input<typeof actionFilterSchema>;

// A Temporal duration ('30 seconds' or ms), as the spec had it.
const duration = z.custom<Duration>(
  (v) => (typeof v === 'number' && v >= 0) || (typeof v === 'string' && v.length > 0),
  'a duration',
);
const activityRunSchema = z.object({
  tier: z.enum(tiers),
  startToCloseTimeout: duration,
  heartbeatTimeout: duration.optional(),
  retry: z.object({
    initialInterval: duration.optional(),
    backoffCoefficient: z.number().optional(),
    maximumInterval: duration.optional(),
    maximumAttempts: z.number().int().optional(),
    nonRetryableErrorTypes: z.array(z.string()).optional(),
  }),
});

export const actionSchema = z.object({
  name: z.string(),
  description: z.string(),
  type: z.enum(['activity', 'workflow', 'business_logic']),
  labels: z.array(z.string()),
  /** Changes the world outside Pantheon: an agent needs an approval before running it. */
  sideEffecting: z.boolean(),
  /** JSON Schema of the arguments. */
  parameters: z.record(z.string(), z.unknown()),
  returns: z.record(z.string(), z.unknown()),
  /** How a workflow runs it: an activity's spec (tier, timeouts, retry policy), or business logic's executor's. */
  runOptions: activityRunSchema.optional(),
  /** Business logic only: the activity that runs it (code.execute), with { function: name, input: args }. */
  executor: z.string().optional(),
});
export type Action = z.output<typeof actionSchema>;

export const listActionsInput = actionFilterSchema;
export const listActionsOutput = z.object({ actions: z.array(actionSchema) });

export const executeActionInput = actionFilterSchema.extend({
  name: z.string().min(1),
  args: z.unknown(),
});
export const executeActionOutput = z.object({ result: z.unknown() });

/** Plumbing no agent is ever offered, even when it names it (agents also only see `agentCallable` actions). */
export const internalLabel = 'internal';

/** What the worker tells an agent run: its deployment's pre-approvals and limits (config and policy, never run input). */
export const agentSettingsInput = z.object({ workflow: z.string().min(1) });
export const agentSettingsOutput = z.object({
  /** Side-effecting actions the policy lets this workflow run without asking, while the run is untainted. */
  preApproved: z.array(z.string()),
  /** Default caps; a run's own `budget` may only lower them. */
  budget: z.object({ maxTokens: z.number().int().nonnegative(), maxCostUsd: z.number().nonnegative() }),
  maxToolCallsPerReply: z.number().int().positive(),
  contextChars: z.number().int().positive(),
  continueAsNewEvents: z.number().int().positive(),
});
export type AgentSettings = z.output<typeof agentSettingsOutput>;
