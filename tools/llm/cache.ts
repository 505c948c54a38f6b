import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { FinishReason, ProviderName, ToolCall } from './models';

/** What a cache hit gives back: the provider's answer in redacted form, and who gave it. */
export interface CachedAnswer {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason;
  readonly model: string;
  readonly provider: ProviderName;
  readonly providerModel: string;
}

export interface LlmCache {
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, answer: CachedAnswer): Promise<void>;
}

export interface RedisLlmCacheOptions {
  readonly prefix: string;
  readonly ttlSeconds: number;
}

/** Answers in Redis under `<prefix><sha256>`, expiring after the configured TTL. */
export class RedisLlmCache implements LlmCache {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLlmCacheOptions,
  ) {}

  async get(key: string): Promise<CachedAnswer | undefined> {
    const raw = await this.redis.get(this.options.prefix + key);
    return raw ? (JSON.parse(raw) as CachedAnswer) : undefined;
  }

  async set(key: string, answer: CachedAnswer): Promise<void> {
    await this.redis.set(this.options.prefix + key, JSON.stringify(answer), 'EX', this.options.ttlSeconds);
  }
}

/** sha256 of the request with object keys sorted, so field order never splits the cache. */
export function cacheKey(request: unknown): string {
  return createHash('sha256').update(stableJson(request)).digest('hex');
}

export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
