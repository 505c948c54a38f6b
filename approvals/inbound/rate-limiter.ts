/**
 * A fixed-window counter per key (a client address), in memory: enough for one bot process and
 * cheap for attackers to hit. The map is bounded: past `maxKeys` the oldest windows are dropped,
 * so a flood of addresses costs memory only up to that bound.
 */
export interface RateLimiterOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly maxKeys?: number;
  readonly now?: () => number;
}

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: RateLimiterOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Counts one event for `key`; false when the key is over its limit in the current window. */
  take(key: string): boolean {
    const window = this.#current(key, true)!;
    window.count++;
    return window.count <= this.#limit;
  }

  /** True when `key` has used up its window (without counting anything). */
  exhausted(key: string): boolean {
    const window = this.#current(key, false);
    return window !== undefined && window.count >= this.#limit;
  }

  /** Seconds until `key`'s window ends (for Retry-After). */
  retryAfterSeconds(key: string): number {
    const window = this.#windows.get(key);
    return window ? Math.max(1, Math.ceil((window.start + this.#windowMs - this.#now()) / 1000)) : 1;
  }

  #current(key: string, create: boolean): Window | undefined {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (window && now - window.start >= this.#windowMs) {
      this.#windows.delete(key);
      window = undefined;
    }
    if (!window && create) {
      // Maps keep insertion order: the first keys are the oldest windows.
      while (this.#windows.size >= this.#maxKeys) this.#windows.delete(this.#windows.keys().next().value!);
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    return window;
  }
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are the same client. */
export function clientKey(address: string | undefined): string {
  return (address ?? 'unknown').replace(/^::ffff:/, '');
}
