import type { LlmConfig } from './config';

/** The one retry policy of LLM calls (the SDKs' own retries are off). */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export function retryPolicy(config: LlmConfig): RetryPolicy {
  return {
    maxRetries: config.LLM_MAX_RETRIES,
    baseDelayMs: config.LLM_RETRY_BASE_DELAY_MS,
    maxDelayMs: config.LLM_RETRY_MAX_DELAY_MS,
  };
}

/**
 * How long to wait before retry number `retry` (0 = the first retry), or undefined to stop
 * retrying this model. The provider's Retry-After wins over our backoff; one longer than
 * maxDelayMs means "not soon" — better to try the fallback now than to wait.
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number): number | undefined {
  if (retry >= policy.maxRetries) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxDelayMs ? retryAfterMs : undefined;
  // Exponential backoff with jitter, so many workers hit by one outage do not retry in lockstep.
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(backoff * (0.5 + Math.random() / 2));
}

/** setTimeout as a promise that an abort signal cuts short. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
