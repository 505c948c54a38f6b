import { createHash } from 'node:crypto';

/** The Slack request a run comes from: its id makes the start idempotent. */
export interface SlackRequest {
  /** command → trigger_id, event → event_id, view → the modal's view id. */
  readonly kind: 'command' | 'event' | 'view';
  readonly id: string;
  readonly user: string;
  readonly channel: string;
  /** Runs started inside a thread (mentions) report in that thread. */
  readonly threadTs?: string;
}

/**
 * `invoice-review-s3f9a1c04b2e`: the same request (a Slack retry, a double submission) always
 * gives the same id, so Temporal refuses to start it twice. Short enough to type in `status`.
 */
export function workflowIdFor(workflow: string, request: Pick<SlackRequest, 'kind' | 'id'>): string {
  const digest = createHash('sha256').update(`${request.kind}:${request.id}`).digest('hex');
  return `${workflow}-s${digest.slice(0, 11)}`;
}
