import { decideApproval } from '../../cli/approvals';
import { voteSignerFor } from '../../approvals/votes/keys';
import type { Stack } from './stack';
import { waitFor } from './wait';

/**
 * Resolves with the id of a run's `n`-th approval request once the run has opened it: recorded in
 * Postgres and known to the workflow (its approvers are being notified), so a vote can count.
 */
export async function openApproval(stack: Stack, workflowId: string, n = 1): Promise<string> {
  await waitFor(async () => {
    const { events } = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const notified = (events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'approvals.notify',
    );
    return notified.length >= n ? true : undefined;
  }, `approval ${n} of ${workflowId} to open`);
  return `${workflowId}/approval-${n}`;
}

/**
 * `pantheon approve|reject <request-id>` as `operator`, in process: the Decider, signed with the
 * deployment's vote key (what the stack's workers verify). Returns the exit code and what it said.
 */
export async function decideAsOperator(
  stack: Stack,
  operator: string,
  requestId: string,
  approve: boolean,
  comment?: string,
): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const io = {
    out: (text: string) => lines.push(text),
    err: (text: string) => lines.push(text),
    status: () => undefined,
    operator,
  };
  const code = await decideApproval(
    { db: stack.db, client: stack.client, signer: voteSignerFor(stack.config) },
    io,
    requestId,
    approve,
    comment,
  );
  return { code, lines };
}
