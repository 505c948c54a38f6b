/** Failures to inject into Web API calls, so tests can watch the bot cope with Slack misbehaving. */

export interface FailureSpec {
  /** HTTP status; 429 answers `ratelimited` with a Retry-After header, like Slack. Default 200. */
  status?: number;
  /** Seconds for the Retry-After header of a 429. Default 1. */
  retryAfterSeconds?: number;
  /** The `error` string of the `{ ok: false }` body. Default `ratelimited` for 429, else `internal_error`. */
  error?: string;
  /** How many consecutive calls fail. Default 1. */
  times?: number;
}

export interface RateLimitSpec {
  /** Limit only this method (default: every method). */
  method?: string;
  /** Limit only calls for this channel (default: each channel is limited on its own). */
  channel?: string;
  /** Calls allowed per channel in any one-second window before answering 429. */
  perSecond: number;
  retryAfterSeconds?: number;
}

export interface FaultReply {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

interface Window {
  spec: RateLimitSpec;
  /** Accepted call times per key (channel), for the sliding one-second window. */
  accepted: Map<string, number[]>;
}

function rateLimited(retryAfterSeconds: number): FaultReply {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: { ok: false, error: 'ratelimited' },
  };
}

export class Faults {
  private readonly queued = new Map<string, FailureSpec[]>();
  private readonly windows = new Set<Window>();

  constructor(private readonly now: () => number) {}

  failNext(method: string, spec: FailureSpec = {}): void {
    const queue = this.queued.get(method) ?? [];
    for (let i = 0; i < (spec.times ?? 1); i++) queue.push(spec);
    this.queued.set(method, queue);
  }

  /** Starts a rate limit; call the returned function to lift it. */
  rateLimit(spec: RateLimitSpec): () => void {
    const window: Window = { spec, accepted: new Map() };
    this.windows.add(window);
    return () => this.windows.delete(window);
  }

  clear(): void {
    this.queued.clear();
    this.windows.clear();
  }

  /** The failure to answer this call with, if any; otherwise counts the call against rate limits. */
  check(method: string, channel: string | undefined): FaultReply | undefined {
    const spec = this.queued.get(method)?.shift();
    if (spec) return this.reply(spec);

    const now = this.now();
    const applicable = [...this.windows].filter(
      ({ spec: s }) => (!s.method || s.method === method) && (!s.channel || s.channel === channel),
    );
    for (const { spec: s, accepted } of applicable) {
      const recent = (accepted.get(channel ?? '') ?? []).filter((at) => now - at < 1000);
      accepted.set(channel ?? '', recent);
      if (recent.length >= s.perSecond) return rateLimited(s.retryAfterSeconds ?? 1);
    }
    for (const { accepted } of applicable) accepted.get(channel ?? '')?.push(now);
    return undefined;
  }

  private reply(spec: FailureSpec): FaultReply {
    const status = spec.status ?? 200;
    if (status === 429 && !spec.error) return rateLimited(spec.retryAfterSeconds ?? 1);
    const headers: Record<string, string> =
      status === 429 ? { 'Retry-After': String(spec.retryAfterSeconds ?? 1) } : {};
    return { status, headers, body: { ok: false, error: spec.error ?? 'internal_error' } };
  }
}
