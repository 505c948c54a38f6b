import { z } from 'zod';

/** Schemas of the Slack tool. Workflow-safe: zod only. */

/** Where a run reports: the memo `{ slack: { channel, user, threadTs? } }` the bot starts runs with. */
export const slackTarget = z.object({
  channel: z.string().min(1),
  user: z.string().min(1),
  /** Set when the run was started inside a thread (an @mention): everything goes into that thread. */
  threadTs: z.string().min(1).optional(),
});
export type SlackTarget = z.output<typeof slackTarget>;

export const runInfo = z.object({
  workflowId: z.string().min(1),
  runId: z.string().min(1),
  workflow: z.string().min(1),
  /** ISO time the run started (workflow time). */
  startedAt: z.string(),
});
export type RunInfo = z.output<typeof runInfo>;

/** A posted message. */
export const messageRef = z.object({ channel: z.string().min(1), ts: z.string().min(1) });
export type MessageRef = z.output<typeof messageRef>;

/** What the root message shows. `at` is the workflow time of the change, for the elapsed time. */
export const runStatus = z.object({
  state: z.enum(['running', 'waiting', 'completed', 'failed', 'cancelled']),
  step: z.number().int().nonnegative(),
  totalSteps: z.number().int().positive().optional(),
  current: z.string().optional(),
  waitingFor: z.string().optional(),
  at: z.string(),
  failure: z.object({ type: z.string(), message: z.string() }).optional(),
});
export type RunStatus = z.output<typeof runStatus>;

export const postRunStartedInput = z.object({ target: slackTarget, run: runInfo, status: runStatus });
export const postRunStartedOutput = messageRef;

export const reportProgressInput = z.object({
  target: slackTarget,
  run: runInfo,
  root: messageRef,
  status: runStatus,
  /** Numbers the reports of a run: each root refresh gets its own idempotency key. */
  seq: z.number().int().nonnegative(),
  /** A step and a wait add a line to the thread; a resume only refreshes the root. */
  change: z.enum(['step', 'waiting', 'resumed']),
});
export const reportProgressOutput = z.object({ ts: z.string().optional() });

export const postRunFinishedInput = z.object({
  target: slackTarget,
  run: runInfo,
  root: messageRef,
  status: runStatus,
  /** The workflow's result, when it completed. */
  result: z.unknown().optional(),
});
export const postRunFinishedOutput = z.object({ resultTs: z.string().optional() });
