import { Redis } from 'ioredis';
import type { Logger } from '../../core/logger';
import { Tool, toolAction } from '../../core/registry/tool';
import { runLlmGenerate } from './generate';
import { RedisLlmCache } from './cache';
import type { LlmConfig } from './config';
import { embedRequestSchema, embedResultSchema } from './models';
import type { Providers } from './providers';
import { LlmRouter } from './router';
import { llmGenerateInput, llmGenerateOutput } from './specs';
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

/**
 * The LLM tool: a router (aliases, fallbacks, retries, guardrails, cache, tracing) behind two
 * actions. Workflows reach the same operations through the llm.generate / llm.embed activities.
 */
export class LlmTool extends Tool {
  readonly name = 'llm';
  readonly description =
    'Text generation, structured output and embeddings across OpenAI, Anthropic and OpenAI-compatible models';
  #setup: LlmSetup | undefined;

  constructor(private readonly options: LlmSetupOptions) {
    super();
  }

  readonly actions = {
    generate: toolAction({
      description: 'Generate text, tool calls or structured JSON with a model alias',
      input: llmGenerateInput,
      output: llmGenerateOutput,
      run: (input) => runLlmGenerate(this.router, input),
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
    if (!this.#setup) throw new Error('LlmTool is not initialized: await tool.ready() first');
    return this.#setup.router;
  }

  protected override async initialize(): Promise<void> {
    this.#setup = createLlmRouter(this.options);
  }

  async close(): Promise<void> {
    await this.#setup?.close();
  }
}
