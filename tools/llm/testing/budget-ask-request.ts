import type { BudgetAskRequest } from '../../../core/workflow/budget-contract';

/** A run started from Slack, paused at its token cap: what `budget.askRaise` gets (tests). */
export const pausedBudgetAskRequest = (overrides: Partial<BudgetAskRequest> = {}): BudgetAskRequest => ({
  workflowId: 'agent-1',
  runId: 'r-1',
  workflowType: 'agent',
  rootWorkflowId: 'agent-1',
  slack: { channel: 'C1', user: 'U7' },
  seq: 2,
  status: {
    inputTokens: 800,
    outputTokens: 50,
    totalTokens: 850,
    costUsd: 0.0021,
    calls: 2,
    maxTokens: 1000,
    state: 'waiting',
    remaining: { tokens: 150 },
    pending: {
      since: '2026-01-01T00:00:00.000Z',
      reasons: ['tokens 1450 of 1000'],
      estimate: { tokens: 600, costUsd: 0 },
      suggested: { maxTokens: 2050 },
    },
    decisions: [],
  },
  ...overrides,
});
