/**
 * A spending budget a workflow keeps in its state: plain JSON, pure functions, no I/O — safe in
 * the Temporal sandbox and replay-deterministic. Charge each result's usage; ask `wouldExceed`
 * before a call to pause (e.g. for approval in Slack) instead of overspending.
 */

export interface Budget {
  readonly maxTokens?: number;
  readonly maxCostUsd?: number;
  readonly usedTokens: number;
  readonly usedCostUsd: number;
  readonly calls: number;
}

export interface BudgetLimits {
  readonly maxTokens?: number;
  readonly maxCostUsd?: number;
}

/** What a call will (or did) consume. Missing fields count as 0. */
export interface BudgetAmount {
  readonly tokens?: number;
  readonly costUsd?: number;
}

/** Usage as the LLM results report it. */
export interface ChargeableUsage {
  readonly usage: { readonly totalTokens: number };
  readonly costUsd: number;
}

export function createBudget(limits: BudgetLimits = {}): Budget {
  for (const [name, value] of Object.entries(limits)) {
    if (value !== undefined && !(value >= 0))
      throw new RangeError(`Budget ${name} must be 0 or more, got ${value}`);
  }
  return { ...limits, usedTokens: 0, usedCostUsd: 0, calls: 0 };
}

/** True when spending `estimate` on top of what is used would pass a limit. */
export function wouldExceed(budget: Budget, estimate: BudgetAmount = {}): boolean {
  return exceededLimits(budget, estimate).length > 0;
}

/** The limits `estimate` would pass, worded for a person ("cost $0.52 of $0.50"). */
export function exceededLimits(budget: Budget, estimate: BudgetAmount = {}): string[] {
  const tokens = budget.usedTokens + (estimate.tokens ?? 0);
  const cost = round(budget.usedCostUsd + (estimate.costUsd ?? 0));
  const reasons: string[] = [];
  if (budget.maxTokens !== undefined && tokens > budget.maxTokens) {
    reasons.push(`tokens ${tokens} of ${budget.maxTokens}`);
  }
  if (budget.maxCostUsd !== undefined && cost > budget.maxCostUsd) {
    reasons.push(`cost $${cost.toFixed(4)} of $${budget.maxCostUsd.toFixed(4)}`);
  }
  return reasons;
}

/** A new budget with one call's usage added (the old one is unchanged). */
export function charge(budget: Budget, spent: ChargeableUsage | BudgetAmount): Budget {
  const amount: BudgetAmount =
    'usage' in spent ? { tokens: spent.usage.totalTokens, costUsd: spent.costUsd } : spent;
  return {
    ...budget,
    usedTokens: budget.usedTokens + (amount.tokens ?? 0),
    usedCostUsd: round(budget.usedCostUsd + (amount.costUsd ?? 0)),
    calls: budget.calls + 1,
  };
}

/** What is left before each limit (undefined: no limit). */
export function remaining(budget: Budget): { tokens?: number; costUsd?: number } {
  return {
    ...(budget.maxTokens !== undefined && { tokens: Math.max(0, budget.maxTokens - budget.usedTokens) }),
    ...(budget.maxCostUsd !== undefined && {
      costUsd: Math.max(0, round(budget.maxCostUsd - budget.usedCostUsd)),
    }),
  };
}

/** Raise (or set) limits, e.g. after a person approves more spending. */
export function raiseLimits(budget: Budget, limits: BudgetLimits): Budget {
  return { ...budget, ...limits };
}

/** A rough token count (4 characters a token) for estimates before a call. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

// Twelve decimals keep sums of small costs free of float noise (0.1 + 0.2).
function round(value: number): number {
  return Math.round(value * 1e12) / 1e12;
}
