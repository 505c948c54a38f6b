import { z } from 'zod';
import { defineActivity } from './activity-spec';

/**
 * The per-run LLM budget as the outside world sees it: the signed decision (an Update) that
 * raises the cap or refuses to, the query with the totals, the `budget` input field and `usage`
 * result field of workflows, and the activity that asks a person (in the run's Slack thread)
 * whether to raise the cap. Workflow-safe (zod only); shared by workflows, the bot, the CLI and
 * the worker.
 */

/** A raise spends money: it reaches the run only as an Update signed like approval votes. */
export const budgetDecideUpdateName = 'pantheon.budget.decide';
/** The unsigned signals of old: a run refuses them (and logs who tried), see budget-decision.ts. */
export const budgetRaiseSignalName = 'pantheon.budget.raise';
export const budgetDenySignalName = 'pantheon.budget.deny';
export const budgetQueryName = 'pantheon.budget';

/** What a run may spend on LLM calls. Absent limits are unlimited; 0 pauses before the first call. */
export const budgetLimitsSchema = z.object({
  maxTokens: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('most LLM tokens (input + output) the run may use'),
  maxCostUsd: z.number().nonnegative().optional().describe('most USD the run may spend on LLM calls'),
});
export type BudgetLimitsInput = z.input<typeof budgetLimitsSchema>;

/** A raise: new, higher caps (absolute, not increments) and who decided. */
export const budgetRaiseSchema = z
  .object({
    kind: z.literal('raise'),
    maxTokens: z.number().int().positive().optional(),
    maxCostUsd: z.number().positive().optional(),
    /** `slack:U123`, `cli:alice`… */
    by: z.string().min(1).max(320),
    at: z.iso.datetime(),
  })
  .refine((raise) => raise.maxTokens !== undefined || raise.maxCostUsd !== undefined, {
    message: 'give maxTokens, maxCostUsd or both',
  });
export type BudgetRaise = z.output<typeof budgetRaiseSchema>;

/** A denial: the run may not spend more; the call that waited fails with BudgetExceeded. */
export const budgetDenySchema = z.object({
  kind: z.literal('deny'),
  by: z.string().min(1).max(320),
  reason: z.string().max(500).optional(),
  at: z.iso.datetime(),
});
export type BudgetDeny = z.output<typeof budgetDenySchema>;

export const budgetDecisionSchema = z.union([budgetRaiseSchema, budgetDenySchema]);
export type BudgetDecision = z.output<typeof budgetDecisionSchema>;

/** What the bot and the CLI send: the decision bound to one run and a short validity window, signed. */
export const signedBudgetDecisionSchema = z.object({
  decision: budgetDecisionSchema,
  runId: z.string().min(1).max(100),
  expiresAt: z.iso.datetime(),
  keyId: z.string().regex(/^[a-z0-9]{1,8}$/),
  /** Ed25519 over `budgetDecisionMessage(...)`, hex. */
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});
export type SignedBudgetDecision = z.output<typeof signedBudgetDecisionSchema>;

/** The run's answer to an accepted decision: its caps now. */
export interface BudgetReceipt {
  readonly kind: 'raise' | 'deny';
  readonly maxTokens?: number;
  readonly maxCostUsd?: number;
}

/** What a run (and each child it started) spent; workflows return it as `usage`. */
export const runUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** LLM calls made (children's included). */
  calls: z.number().int().nonnegative(),
  /** The caps at the end of the run, after any raise. */
  maxTokens: z.number().int().nonnegative().optional(),
  maxCostUsd: z.number().nonnegative().optional(),
  /** How far people raised the caps during the run: a parent raises its own caps by as much. */
  raised: z.object({ tokens: z.number().int().nonnegative(), costUsd: z.number().nonnegative() }).optional(),
});
export type RunUsage = z.output<typeof runUsageSchema>;

const decisionSchema = z.object({
  kind: z.enum(['raise', 'deny']),
  by: z.string(),
  at: z.string(),
  maxTokens: z.number().optional(),
  maxCostUsd: z.number().optional(),
  reason: z.string().optional(),
});

/** A run's budget carried into its next run by continue-as-new (`RunLlm.state()` → `resume`). */
export const runLlmStateSchema = runUsageSchema.extend({
  decisions: z.array(decisionSchema),
  asks: z.number().int().nonnegative(),
});
export type RunLlmState = z.output<typeof runLlmStateSchema>;

/** The answer to the `pantheon.budget` query. */
export const budgetStatusSchema = runUsageSchema.extend({
  /** `waiting`: a call is paused until someone raises the cap or denies it. */
  state: z.enum(['ok', 'waiting', 'denied']),
  remaining: z.object({ tokens: z.number().optional(), costUsd: z.number().optional() }),
  /** The paused call: what it would spend, which caps it would pass, and caps that would let it run. */
  pending: z
    .object({
      since: z.string(),
      reasons: z.array(z.string()),
      estimate: z.object({ tokens: z.number(), costUsd: z.number() }),
      suggested: z.object({ maxTokens: z.number().optional(), maxCostUsd: z.number().optional() }),
    })
    .optional(),
  decisions: z.array(decisionSchema),
});
export type BudgetStatus = z.output<typeof budgetStatusSchema>;

/** Spread into `defineWorkflow({ queries })` of a workflow that uses `createRunLlm`. */
export const budgetQueries = { [budgetQueryName]: budgetStatusSchema } as const;

/** The run as the ask activity needs it: who to signal and where it talks. */
export const budgetAskInput = z.object({
  workflowId: z.string().min(1),
  runId: z.string().min(1),
  workflowType: z.string().min(1),
  /** The top-level run (its Slack thread, when a child asks). */
  rootWorkflowId: z.string().min(1),
  /** The run's memo `slack` (channel, user, threadTs) when started from Slack. */
  slack: z
    .object({ channel: z.string(), user: z.string().optional(), threadTs: z.string().optional() })
    .optional(),
  startedBy: z.string().optional(),
  /** Numbers the asks of one run (idempotency key of the Slack post). */
  seq: z.number().int().positive(),
  status: budgetStatusSchema,
});
export type BudgetAskRequest = z.output<typeof budgetAskInput>;

export const budgetAskOutput = z.object({
  /** False when nobody could be asked (no Slack): the run still waits for a signal (CLI, bot). */
  asked: z.boolean(),
  /** Where the question went, e.g. a Slack message permalink or `channel/ts`. */
  where: z.string().optional(),
  /** The keys (key id → Ed25519 public key, hex) whose signed decisions the run accepts. */
  voteKeys: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).default({}),
});

/**
 * Ask whether to raise a paused run's LLM budget (a message with buttons in its Slack thread);
 * the answer comes back as a signed `pantheon.budget.decide` Update. The run waits for one
 * whether or not the question could be posted; the worker's verify keys come back either way.
 */
export const askBudgetRaise = defineActivity({
  name: 'budget.askRaise',
  description:
    "Ask in a run's Slack thread whether to raise its LLM budget (answers arrive as signed Updates)",
  tier: 'light',
  input: budgetAskInput,
  output: budgetAskOutput,
  labels: ['internal', 'llm'],
  sideEffecting: true,
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

export const budgetSpecs = [askBudgetRaise];

/** action_ids of the Slack buttons under a budget question (the bot turns clicks into signed decisions). */
export const budgetRaiseActionId = budgetRaiseSignalName;
export const budgetDenyActionId = budgetDenySignalName;

/** The buttons' `value`: which run, and the caps Raise sets. */
export const budgetButtonValue = z.object({
  workflowId: z.string().min(1),
  maxTokens: z.number().int().positive().optional(),
  maxCostUsd: z.number().positive().optional(),
});
export type BudgetButtonValue = z.output<typeof budgetButtonValue>;

/** A button's value, or undefined when it is not one of ours. */
export function parseBudgetButton(value: string | undefined): BudgetButtonValue | undefined {
  try {
    const parsed = budgetButtonValue.safeParse(JSON.parse(value ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** How to answer a paused run from a terminal: `pantheon budget <run> raise maxTokens=N …` with the suggested caps. */
export function budgetCliHint(request: BudgetAskRequest): string {
  const suggested = Object.entries(request.status.pending?.suggested ?? {}).map(([k, v]) => `${k}=${v}`);
  return `pantheon budget ${request.workflowId} raise ${suggested.join(' ')}`.trimEnd();
}
