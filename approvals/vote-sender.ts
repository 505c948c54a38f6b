import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { SignedVote, VoteReceipt } from './models';
import { approvalVoteUpdate } from './workflow/signals';

/** The workflow's word on a vote: accepted (with what it made of it) or refused, and why. */
export type VoteAnswer =
  | { readonly kind: 'accepted'; readonly receipt: VoteReceipt }
  | { readonly kind: 'refused'; readonly reason: string; readonly message: string };

/** Delivers a signed vote to the waiting run and waits for its answer until `deadline` (then throws). */
export type VoteSender = (
  target: { workflowId: string; runId: string },
  vote: SignedVote,
  deadline: Date,
) => Promise<VoteAnswer>;

/** Votes reach the run as a Temporal Update; the workflow's validator and handler answer. */
export function temporalVoteSender(client: Client): VoteSender {
  return async ({ workflowId, runId }, vote, deadline) => {
    try {
      const receipt = await client.withDeadline(deadline, () =>
        client.workflow.getHandle(workflowId, runId).executeUpdate(approvalVoteUpdate, { args: [vote] }),
      );
      return { kind: 'accepted', receipt };
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        return { kind: 'refused', reason: error.cause.type ?? 'refused', message: error.cause.message };
      }
      throw error;
    }
  };
}
