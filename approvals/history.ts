import type { Database } from '../core/db/pool';
import { ApprovalStore } from './store';
import type { ApprovalEventRecord, ApprovalRequestRecord } from './store';

export interface ApprovalHistoryEntry {
  readonly request: ApprovalRequestRecord;
  readonly events: readonly ApprovalEventRecord[];
}

/** Every approval request of a run (its workflow id) with its audit trail, oldest first — for `/pantheon status`. */
export async function approvalHistory(db: Database, runId: string): Promise<ApprovalHistoryEntry[]> {
  const store = new ApprovalStore(db);
  const requests = (await store.list({ workflowId: runId, limit: 1000 })).reverse();
  const events = await store.events({ workflowId: runId });
  return requests.map((request) => ({ request, events: events.filter((e) => e.requestId === request.id) }));
}

/** One line a request, for people: `approved by slack:U1 via slack — Pay Acme (wf/approval-1)`. */
export function describeRequest(request: ApprovalRequestRecord): string {
  const outcome =
    request.status === 'pending'
      ? `pending until ${request.deadline.toISOString()}`
      : request.status === 'expired'
        ? 'expired'
        : `${request.status} by ${request.decidedBy} via ${request.decidedVia}${request.comment ? ` ("${request.comment}")` : ''}`;
  return `${request.id}  ${outcome}  ${request.title}`;
}
