import { Redis } from 'ioredis';
import type { Logger } from '../../core/logger';
import { RedisLlmCache } from './cache';
import type { LlmConfig } from './config';
import type { Providers } from './providers';
import { LlmRouter } from './router';
import { createLlmTracing } from './tracing';

export interface LlmSetupOptions {
  /** The parsed settings; REDIS_URL (from core config) is needed when the cache is on. */
  readonly config: LlmConfig & { readonly REDIS_URL?: string };
  readonly logger?: Logger;
  /** An existing connection for the cache; otherwise one is opened on REDIS_URL (and closed by `close`). */
  readonly redis?: Redis;
  /** Provider clients to use instead of those built from the config (tests). */
  readonly providers?: Providers;
}

export interface LlmSetup {
  readonly router: LlmRouter;
  /** Flush traces and close what the setup opened. */
  close(): Promise<void>;
}

/**
 * A router wired from the config: provider clients, the Redis cache (when enabled) and Langfuse
 * tracing (when keyed). Synchronous — Redis connects in the background, and until it does the
 * cache simply misses.
 */
export function createLlmRouter(options: LlmSetupOptions): LlmSetup {
  const { config, logger } = options;
  let redis = options.redis;
  let ownRedis: Redis | undefined;
  if (config.LLM_CACHE_ENABLED && !redis) {
    if (!config.REDIS_URL) throw new Error('LLM_CACHE_ENABLED needs REDIS_URL');
    // A slow or absent Redis must not stall LLM calls: fail fast, and the router treats it as a miss.
    redis = ownRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 500 });
    let warned = false;
    redis.on('error', (error: Error) => {
      if (!warned) logger?.warn({ err: error }, 'LLM cache: Redis unavailable, calls go uncached');
      warned = true;
    });
    redis.on('ready', () => (warned = false));
  }
  const tracing = createLlmTracing(config);
  const router = new LlmRouter({
    config,
    logger,
    providers: options.providers,
    cache: redis
      ? new RedisLlmCache(redis, {
          prefix: config.LLM_CACHE_PREFIX,
          ttlSeconds: config.LLM_CACHE_TTL_SECONDS,
        })
      : undefined,
    tracing,
  });
  return {
    router,
    close: async () => {
      await tracing.shutdown();
      ownRedis?.disconnect();
    },
  };
}
