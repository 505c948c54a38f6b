import { Redis } from 'ioredis';
import type { Logger } from '../../core/logger';
import { Tool, toolAction } from '../../core/registry/tool';
import { RedisLlmCache } from './cache';
import type { LlmConfig } from './config';
import { embedRequestSchema, embedResultSchema, generateRequestSchema, generateResultSchema } from './models';
import type { Providers } from './providers';
import { LlmRouter } from './router';
import { createLlmTracing } from './tracing';

export interface LlmToolOptions {
  /** The parsed settings; REDIS_URL (from core config) is needed when the cache is on. */
  readonly config: LlmConfig & { readonly REDIS_URL?: string };
  readonly logger?: Logger;
  /** An existing connection for the cache; otherwise one is opened on REDIS_URL. */
  readonly redis?: Redis;
  /** Provider clients to use instead of those built from the config (tests). */
  readonly providers?: Providers;
}

/**
 * The LLM tool: a router (aliases, fallbacks, retries, guardrails, cache, tracing) behind two
 * actions. Workflows reach it through the llm.generate / llm.embed activities.
 */
export class LlmTool extends Tool {
  readonly name = 'llm';
  readonly description = 'Text generation, structured output and embeddings across OpenAI, Anthropic and OpenAI-compatible models';
  #router: LlmRouter | undefined;
  #ownRedis: Redis | undefined;

  constructor(private readonly options: LlmToolOptions) {
    super();
  }

  readonly actions = {
    generate: toolAction({
      description: 'Generate text or tool calls with a model alias',
      input: generateRequestSchema,
      output: generateResultSchema,
      run: (input) => this.router.generate(input),
    }),
    embed: toolAction({
      description: 'Embed texts with an embedding model alias',
      input: embedRequestSchema,
      output: embedResultSchema,
      run: (input) => this.router.embed(input),
    }),
  };

  /** The router, once `ready()` has resolved. */
  get router(): LlmRouter {
    if (!this.#router) throw new Error('LlmTool is not initialized: await tool.ready() first');
    return this.#router;
  }

  protected override async initialize(): Promise<void> {
    const { config, logger } = this.options;
    let redis = this.options.redis;
    if (config.LLM_CACHE_ENABLED && !redis) {
      if (!config.REDIS_URL) throw new Error('LLM_CACHE_ENABLED needs REDIS_URL');
      // A slow or absent Redis must not stall LLM calls: fail fast, and the router treats it as a miss.
      redis = this.#ownRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 500, lazyConnect: true });
      await redis.connect();
    }
    this.#router = new LlmRouter({
      config,
      logger,
      providers: this.options.providers,
      cache: redis ? new RedisLlmCache(redis, { prefix: config.LLM_CACHE_PREFIX, ttlSeconds: config.LLM_CACHE_TTL_SECONDS }) : undefined,
      tracing: createLlmTracing(config),
    });
  }

  /** Flush traces and close the connections this tool opened. */
  async close(): Promise<void> {
    await this.#router?.tracing.shutdown();
    this.#ownRedis?.disconnect();
  }
}
