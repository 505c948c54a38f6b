import { ApplicationFailure } from '@temporalio/common';

/**
 * A file the documents tool cannot read (corrupt, truncated, not the kind it claims): a
 * non-retryable failure typed DocumentInvalid, so a workflow can branch on it. Reading the same
 * bytes again would fail the same way.
 */
export function documentInvalid(
  activity: string,
  message: string,
  details: Record<string, unknown> = {},
): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${activity}: ${message}`, 'DocumentInvalid', details);
}

/** The message of an unknown thrown value, for a failure that names the cause. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
