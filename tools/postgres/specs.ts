import { defineActivity } from '../../core/workflow/activity-spec';
import { executeInput, queryInput, queryOutput } from './models';

/**
 * Activity specs of the Postgres tool (workflow-safe; implementations in activities.ts).
 *
 * Tier 'light': a query is I/O the worker only awaits (the CPU work is the database's), bounded by
 * PG_TOOL_STATEMENT_TIMEOUT_MS and PG_TOOL_MAX_ROWS; the heavy tier's two slots are for
 * CPU/memory-bound work and would queue every query behind them. The default start-to-close
 * timeout (1 minute) stays above the statement timeout (default 10 s).
 *
 * Not agentCallable: SQL from a model is its own decision (approvals, a role with narrow grants).
 */
export const postgresQuery = defineActivity({
  name: 'postgres.query',
  description:
    'Run one parameterized SQL statement ($1..$n) against PG_TOOL_URL, read-only by default; returns at most maxRows rows',
  tier: 'light',
  input: queryInput,
  output: queryOutput,
  labels: ['postgres'],
});

export const postgresExecute = defineActivity({
  name: 'postgres.execute',
  description:
    'Run one parameterized SQL statement ($1..$n) that writes, in a read-write transaction committed once it succeeds',
  tier: 'light',
  input: executeInput,
  output: queryOutput,
  labels: ['postgres'],
  sideEffecting: true,
  // A write that timed out may still have committed nothing or everything; a retry of a
  // non-idempotent statement would run it twice. Callers make writes idempotent (ON CONFLICT) or
  // retry themselves.
  retry: { maximumAttempts: 1 },
});

export const postgresSpecs = [postgresQuery, postgresExecute];
