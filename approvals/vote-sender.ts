import type { Client } from '@temporalio/client';
import type { VoteSender } from './decider';
import { approvalVoteSignal } from './signals';

/** Votes reach the waiting workflow as a Temporal signal. */
export function temporalVoteSender(client: Client): VoteSender {
  return async (workflowId, vote) => {
    await client.workflow.getHandle(workflowId).signal(approvalVoteSignal, vote);
  };
}
