/** The test bundle: the sample workflows plus a probe that asks for one approval and returns the result. */
import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import { verifierTablesShared } from '../votes/workflow/verify';
import { requestApproval } from '../workflow/request-approval';
import type { ApprovalOptions, ApprovalResult } from '../workflow/request-approval';

export { expenseApproval } from '../../workflows/expense-approval';

export async function approvalProbe(options: ApprovalOptions): Promise<ApprovalResult> {
  return requestApproval(options);
}

/** Two approvals one after the other in the same run: ids are `<workflowId>/approval-1`, `-2`. */
export async function approvalPair(options: ApprovalOptions): Promise<ApprovalResult[]> {
  return [
    await requestApproval(options),
    await requestApproval({ ...options, title: `${options.title} (again)` }),
  ];
}

/** Whether the vote verifier this run uses is the worker thread's preloaded copy. */
export async function verifierMode(): Promise<boolean> {
  return verifierTablesShared();
}

export const pingSignal = defineSignal('ping');

/** The benchmark's baseline: a bare signal wakes the run, which completes. */
export async function signalRoundTrip(): Promise<void> {
  let pinged = false;
  setHandler(pingSignal, () => void (pinged = true));
  await condition(() => pinged);
}
