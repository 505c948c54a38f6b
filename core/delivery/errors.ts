import { ErrorCode, PantheonError } from '../errors';
import type { DeliveryRequest } from './contract';

/**
 * Slack errors that no retry can fix: the request itself is wrong (or the app lacks access), so the
 * delivery fails at once instead of backing off for minutes.
 */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'invalid_arguments',
  'invalid_arg_name',
  'invalid_array_arg',
  'invalid_json',
  'json_not_object',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'too_many_blocks',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'message_not_found',
  'cant_update_message',
  'cant_delete_message',
  'edit_window_closed',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'restricted_action',
  'ekm_access_denied',
  'user_not_found',
  'user_not_in_channel',
  'unknown_method',
  'method_deprecated',
  'no_sender',
]);

export function isPermanentError(error: string): boolean {
  return PERMANENT_ERRORS.has(error);
}

/**
 * What a sender throws: `error` is Slack's error string (or a short code for HTTP/network
 * failures); `retryAfterMs` is set for a 429, which the queue waits out without counting an attempt.
 */
export class SendError extends Error {
  readonly retryAfterMs: number | undefined;
  readonly permanent: boolean;

  constructor(
    readonly error: string,
    options: { retryAfterMs?: number; permanent?: boolean; cause?: unknown } = {},
  ) {
    super(error, { cause: options.cause });
    this.name = 'SendError';
    this.retryAfterMs = options.retryAfterMs;
    this.permanent = options.permanent ?? isPermanentError(error);
  }
}

/** A delivery that failed for good: Slack refused it, or retries ran out. Nothing was posted. */
export class DeliveryFailedError extends PantheonError {
  constructor(
    readonly request: DeliveryRequest,
    /** Slack's error string, e.g. `channel_not_found`, `internal_error`, `ratelimited`. */
    readonly error: string,
    /** Attempts made (429 answers not counted). */
    readonly attempts: number,
  ) {
    super(
      ErrorCode.DeliveryFailed,
      `${request.method} to ${request.channel} failed after ${attempts} attempt(s): ${error}`,
      { channel: request.channel, method: request.method, runId: request.runId, error, attempts },
    );
  }

  /** True when retrying the same request cannot help (e.g. `channel_not_found`). */
  get permanent(): boolean {
    return isPermanentError(this.error);
  }
}

/**
 * The caller stopped waiting (e.g. Redis was unreachable for too long). The delivery is still
 * queued: `send` again with the same idempotency key to keep waiting, without a second post.
 */
export class DeliveryTimeoutError extends PantheonError {
  constructor(
    readonly request: DeliveryRequest,
    waitedMs: number,
  ) {
    super(
      ErrorCode.DeliveryTimeout,
      `${request.method} to ${request.channel} not confirmed after ${waitedMs} ms; it stays queued`,
      {
        channel: request.channel,
        method: request.method,
        runId: request.runId,
        idempotencyKey: request.idempotencyKey,
      },
    );
  }
}
