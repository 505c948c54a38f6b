import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { VoteSigner } from '../../approvals/votes/signer';
import { ErrorCode, PantheonError } from '../../core/errors';
import { budgetDecideUpdateName } from '../../core/workflow/budget-contract';
import type { BudgetReceipt, SignedBudgetDecision } from '../../core/workflow/budget-contract';
import { budgetDecisionMessage } from './workflow/budget-decision';

/** How long a signed decision stays valid for the run: long enough for Temporal, too short to replay. */
const validForMs = 20_000;

/** A decision without its time: the sender stamps it. */
export type BudgetDecisionInput =
  | { kind: 'raise'; by: string; maxTokens?: number; maxCostUsd?: number }
  | { kind: 'deny'; by: string; reason?: string };

/**
 * Signs a budget decision for the run's current execution and delivers it as the
 * `pantheon.budget.decide` Update. The caller has already checked that `by` may decide (the bot:
 * requester, approver or operator; the CLI: an operator, by holding the key). A run that refuses
 * it (not waiting, expired, …) throws a PantheonError with the run's reason.
 */
export async function sendBudgetDecision(
  client: Client,
  signer: VoteSigner,
  workflowId: string,
  input: BudgetDecisionInput,
  now: Date = new Date(),
): Promise<BudgetReceipt> {
  const { runId, status } = await client.workflow.getHandle(workflowId).describe();
  if (status.name !== 'RUNNING') throw noLongerRunning(status.name);
  const decision = { ...input, at: now.toISOString() };
  const expiresAt = new Date(now.getTime() + validForMs).toISOString();
  const signed: SignedBudgetDecision = {
    decision,
    runId,
    expiresAt,
    keyId: signer.keyId,
    signature: signer.signMessage(budgetDecisionMessage(runId, decision, expiresAt)),
  };
  const handle = client.workflow.getHandle(workflowId, runId);
  // A click can beat the ask activity's result into the run (it learns the keys from it): the
  // run says 'not-ready', and the same signed decision is sent again shortly.
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.executeUpdate<BudgetReceipt, [SignedBudgetDecision]>(budgetDecideUpdateName, {
        args: [signed],
      });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw noLongerRunning('COMPLETED');
      if (!(error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure))
        throw error;
      if (error.cause.message.startsWith('No registered handler for update'))
        throw new PantheonError(ErrorCode.InvalidInput, 'This run has no LLM budget to decide on.');
      if (error.cause.type !== 'not-ready' || attempt >= notReadyAttempts)
        throw new PantheonError(ErrorCode.InvalidInput, error.cause.message);
      await sleep(notReadyPauseMs);
    }
  }
}

const notReadyAttempts = 20;
const notReadyPauseMs = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const noLongerRunning = (status: string) =>
  new PantheonError(ErrorCode.InvalidInput, `That run is no longer running (${status.toLowerCase()}).`);
