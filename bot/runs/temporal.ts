import type { Client } from '@temporalio/client';

/** Temporal did not answer in time or at all: nothing was done, and the user should hear so now. */
export class TemporalUnavailableError extends Error {
  override readonly name = 'TemporalUnavailableError';
}

/** gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4): the server is down or unreachable. */
function isUnreachable(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (code === 14 || code === 4) return true;
  }
  return false;
}

/**
 * Runs a Temporal call with a deadline, so a user hears within Slack's patience that Temporal is
 * unreachable (the client would otherwise retry for ~20 s). The deadline also cancels the call,
 * so an answer that comes too late does not start anything behind the user's back.
 */
export async function withTemporal<T>(client: Client, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TemporalUnavailableError(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([client.withDeadline(Date.now() + timeoutMs, call), timeout]);
  } catch (error) {
    if (isUnreachable(error)) throw new TemporalUnavailableError('Temporal is unreachable', { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
