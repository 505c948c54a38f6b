import type { z } from 'zod';
import { ErrorCode, PantheonError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { closestNames } from '../../core/suggest';
import { parseOrThrow } from '../../core/validation';
import { cacheKey } from './cache';
import type { CachedAnswer, LlmCache } from './cache';
import type { LlmConfig } from './config';
import { embedInBatches } from './embeddings';
import { LlmUnavailableError, providerEnv } from './errors';
import { Guardrails, guardrailSettings } from './guardrails/guardrails';
import { embedRequestSchema, generateRequestSchema, parseModelRef } from './models';
import type {
  Attempt,
  EmbedRequestInput,
  EmbedResult,
  GenerateRequestInput,
  GenerateResult,
  ModelSpec,
  ProviderName,
  Usage,
} from './models';
import { costOf, priceOf } from './workflow/pricing';
import { createProviders } from './providers';
import type { Providers } from './providers';
import { isRetryable, ProviderError, shouldFallBack } from './providers/provider';
import type { LlmProvider } from './providers/provider';
import { retryDelay, retryPolicy, sleep } from './retry';
import type { RetryPolicy } from './retry';
import { generateStructured } from './structured-output';
import type { StructuredOptions, StructuredResult } from './structured-output';
import { noopTracing } from './tracing';
import type { LlmTracing, Observation } from './tracing';

export interface LlmRouterOptions {
  readonly config: LlmConfig;
  /** Default: a client for every provider configured in `config`. */
  readonly providers?: Providers;
  /** Answers identical temperature-0 requests; none by default. */
  readonly cache?: LlmCache;
  readonly tracing?: LlmTracing;
  readonly logger?: Logger;
  /** Waits between retries (tests pass a fake clock). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallOptions {
  /** Cancels the provider request and any retry wait (e.g. Temporal activity cancellation). */
  readonly signal?: AbortSignal;
}

/** An alias (or provider:model) resolved to what will be called. */
export interface ResolvedModel extends ModelSpec {
  readonly ref: string;
}

const zeroUsage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

/**
 * Every LLM call goes through here: alias → provider/model, guardrails, cache, retries with
 * backoff, fallbacks, cost and tracing. Provider SDKs never retry on their own.
 */
export class LlmRouter {
  readonly config: LlmConfig;
  readonly tracing: LlmTracing;
  readonly #providers: Providers;
  readonly #cache: LlmCache | undefined;
  readonly #logger: Logger | undefined;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #guardrails: Guardrails;
  readonly #retry: RetryPolicy;
  readonly #unpriced = new Set<string>();

  constructor(options: LlmRouterOptions) {
    this.config = options.config;
    this.#providers = options.providers ?? createProviders(options.config);
    this.#cache = options.config.LLM_CACHE_ENABLED ? options.cache : undefined;
    this.tracing = options.tracing ?? noopTracing;
    this.#logger = options.logger;
    this.#sleep = options.sleep ?? sleep;
    this.#guardrails = new Guardrails(guardrailSettings(options.config));
    this.#retry = retryPolicy(options.config);
  }

  /** The model an alias or provider:model names. Throws InvalidInput with close matches. */
  resolve(ref: string): ResolvedModel {
    const spec = this.config.LLM_MODELS[ref];
    if (spec) return { ...spec, ref };
    const direct = parseModelRef(ref);
    if (direct) return { ...direct, ref, fallbacks: [], structuredOutput: 'json_schema' };
    const known = Object.keys(this.config.LLM_MODELS).sort();
    const close = closestNames(ref, known);
    throw new PantheonError(
      ErrorCode.InvalidInput,
      `Unknown model "${ref}".${close.length ? ` Did you mean ${close.join(', ')}?` : ''} Use an alias from LLM_MODELS (${known.join(', ')}) or provider:model.`,
      { known },
    );
  }

  async generate(input: GenerateRequestInput, options: CallOptions = {}): Promise<GenerateResult> {
    const started = performance.now();
    const request = parseOrThrow(generateRequestSchema, input, 'LLM request');
    const ref = request.model ?? this.config.LLM_DEFAULT_MODEL;
    const chain = this.#chain(ref, request.fallbacks);
    const guarded = this.#guardrails.prepareMessages(request.messages, { redactPii: request.redactPii });
    const maxTokens = request.maxTokens ?? this.config.LLM_MAX_TOKENS;
    const observation = await this.tracing.start({
      kind: 'generation',
      name: request.trace?.name ?? 'llm.generate',
      model: chain[0]!.model,
      input: guarded.value,
      modelParameters: {
        alias: ref,
        provider: chain[0]!.provider,
        maxTokens,
        ...(request.temperature !== undefined && { temperature: request.temperature }),
      },
      trace: request.trace,
    });
    try {
      const chat = {
        messages: guarded.value,
        temperature: request.temperature,
        maxTokens,
        timeoutMs: request.timeoutMs ?? this.config.LLM_TIMEOUT_MS,
        tools: request.tools,
        toolChoice: request.toolChoice,
        responseFormat: request.responseFormat,
        signal: options.signal,
      };
      // Only deterministic requests are cached; the key holds redacted text, never PII.
      const key =
        this.#cache && request.temperature === 0 && !request.bypassCache
          ? cacheKey({
              v: 1,
              models: chain.map((t) => [t.provider, t.model, t.structuredOutput]),
              ...chat,
              signal: undefined,
              timeoutMs: undefined,
            })
          : undefined;
      const hit = key ? await this.#cacheGet(key) : undefined;
      let answer: CachedAnswer;
      let usage = zeroUsage;
      let attempts: Attempt[] = [];
      if (hit) {
        answer = hit;
      } else {
        const outcome = await this.#withFallback(ref, chain, options.signal, (provider, target) =>
          provider.chat({ ...chat, model: target.model, structuredOutput: target.structuredOutput }),
        );
        const response = outcome.value;
        attempts = outcome.attempts;
        answer = {
          text: response.text,
          toolCalls: response.toolCalls,
          finishReason: response.finishReason,
          model: outcome.target.ref,
          provider: outcome.target.provider,
          providerModel: response.providerModel,
        };
        usage = {
          inputTokens: response.usage.inputTokens,
          outputTokens: response.usage.outputTokens,
          totalTokens: response.usage.inputTokens + response.usage.outputTokens,
        };
        if (key) await this.#cacheSet(key, answer);
      }
      const finished = this.#guardrails.finish(answer, guarded.vault, {
        maxOutputChars: request.maxOutputChars,
      });
      const costUsd = hit
        ? 0
        : this.#cost(answer.providerModel, chain.find((t) => t.ref === answer.model)?.model, usage);
      const latencyMs = performance.now() - started;
      const flagged = guarded.flags.some((f) => f.type === 'prompt_injection');
      observation.end({
        // Traced before restoration: placeholders, not the PII they stand for.
        output: answer.toolCalls.length ? { text: answer.text, toolCalls: answer.toolCalls } : answer.text,
        model: answer.providerModel,
        usage,
        costUsd,
        metadata: {
          cached: Boolean(hit),
          latencyMs,
          model: answer.model,
          provider: answer.provider,
          attempts,
          flags: guarded.flags,
        },
        level: flagged ? 'WARNING' : 'DEFAULT',
        ...(flagged && { statusMessage: 'possible prompt injection in untrusted content' }),
      });
      return {
        text: finished.text,
        toolCalls: [...finished.toolCalls],
        finishReason: answer.finishReason,
        model: answer.model,
        provider: answer.provider,
        providerModel: answer.providerModel,
        usage,
        costUsd,
        cached: Boolean(hit),
        latencyMs,
        attempts,
        flags: guarded.flags,
        ...(observation.traceId && { traceId: observation.traceId }),
      };
    } catch (error) {
      endWithError(observation, error);
      throw error;
    }
  }

  /** Generate JSON matching `schema`, repairing invalid answers up to LLM_MAX_REPAIRS times. */
  generateStructured<S extends z.ZodType>(
    input: GenerateRequestInput,
    schema: S,
    options: StructuredOptions = {},
    callOptions: CallOptions = {},
  ): Promise<StructuredResult<z.output<S>>> {
    return generateStructured((request) => this.generate(request, callOptions), input, schema, {
      ...options,
      maxRepairs: options.maxRepairs ?? this.config.LLM_MAX_REPAIRS,
    });
  }

  async embed(input: EmbedRequestInput, options: CallOptions = {}): Promise<EmbedResult> {
    const started = performance.now();
    const request = parseOrThrow(embedRequestSchema, input, 'embedding request');
    const ref = request.model ?? this.config.LLM_EMBEDDING_MODEL;
    // No fallbacks: another model's vectors live in another space.
    const chain = this.#chain(ref, []);
    const target = chain[0]!;
    const guarded = this.#guardrails.prepareTexts(request.texts, { redactPii: request.redactPii });
    const observation = await this.tracing.start({
      kind: 'embedding',
      name: request.trace?.name ?? 'llm.embed',
      model: target.model,
      // Enough to recognise the input without shipping whole corpora to the trace store.
      input: { count: guarded.value.length, texts: guarded.value.slice(0, 20).map((t) => t.slice(0, 500)) },
      modelParameters: { alias: ref, provider: target.provider },
      trace: request.trace,
    });
    try {
      const attempts: Attempt[] = [];
      const timeoutMs = request.timeoutMs ?? this.config.LLM_TIMEOUT_MS;
      const batched = await embedInBatches(
        guarded.value,
        request.batchSize ?? this.config.LLM_EMBEDDING_BATCH_SIZE,
        async (batch) => {
          const outcome = await this.#withFallback(ref, chain, options.signal, (provider) =>
            provider.embed({ model: target.model, texts: batch, timeoutMs, signal: options.signal }),
          );
          attempts.push(...outcome.attempts);
          return outcome.value;
        },
      );
      const usage: Usage = {
        inputTokens: batched.inputTokens,
        outputTokens: 0,
        totalTokens: batched.inputTokens,
      };
      const costUsd = this.#cost(batched.providerModel, target.model, usage);
      const latencyMs = performance.now() - started;
      const dimensions = batched.vectors[0]?.length ?? 0;
      observation.end({
        output: { count: batched.vectors.length, dimensions },
        model: batched.providerModel,
        usage,
        costUsd,
        metadata: { latencyMs, model: ref, provider: target.provider, attempts, flags: guarded.flags },
      });
      return {
        vectors: batched.vectors,
        dimensions,
        model: ref,
        provider: target.provider,
        providerModel: batched.providerModel,
        usage,
        costUsd,
        latencyMs,
        attempts,
        ...(observation.traceId && { traceId: observation.traceId }),
      };
    } catch (error) {
      endWithError(observation, error);
      throw error;
    }
  }

  /** The primary model and its fallbacks; the primary's provider must be configured. */
  #chain(ref: string, fallbacks: readonly string[] | undefined): ResolvedModel[] {
    const primary = this.resolve(ref);
    if (!this.#providers[primary.provider]) throw notConfigured(ref, primary.provider, this.#providers);
    const chain = [primary];
    for (const fallback of fallbacks ?? primary.fallbacks) {
      const target = this.resolve(fallback);
      if (!chain.some((t) => t.provider === target.provider && t.model === target.model)) chain.push(target);
    }
    return chain;
  }

  /**
   * Try each model in turn, retrying retryable failures with backoff (or the provider's
   * Retry-After). Failures that another model cannot fix (bad request, bad key) stop at once.
   */
  async #withFallback<T>(
    ref: string,
    chain: readonly ResolvedModel[],
    signal: AbortSignal | undefined,
    call: (provider: LlmProvider, target: ResolvedModel) => Promise<T>,
  ): Promise<{ value: T; target: ResolvedModel; attempts: Attempt[] }> {
    const attempts: Attempt[] = [];
    for (const target of chain) {
      const base = { model: target.ref, provider: target.provider, providerModel: target.model };
      const provider = this.#providers[target.provider];
      if (!provider) {
        const message = `not configured: set ${providerEnv[target.provider]}`;
        attempts.push({ ...base, ok: false, failure: 'not_configured', message, latencyMs: 0 });
        continue;
      }
      for (let retry = 0; ; retry++) {
        const started = performance.now();
        try {
          const value = await call(provider, target);
          attempts.push({ ...base, ok: true, latencyMs: performance.now() - started });
          return { value, target, attempts };
        } catch (error) {
          const failure =
            error instanceof ProviderError ? error : new ProviderError('unknown', String(error));
          attempts.push({
            ...base,
            ok: false,
            failure: failure.kind,
            message: failure.message.slice(0, 300),
            latencyMs: performance.now() - started,
            ...(failure.status !== undefined && { status: failure.status }),
            ...(failure.retryAfterMs !== undefined && { retryAfterMs: failure.retryAfterMs }),
          });
          if (failure.kind === 'aborted' || signal?.aborted) throw error;
          const delay = isRetryable(failure.kind)
            ? retryDelay(this.#retry, retry, failure.retryAfterMs)
            : undefined;
          this.#logger?.warn(
            {
              model: target.ref,
              provider: target.provider,
              failure: failure.kind,
              status: failure.status,
              retryInMs: delay,
            },
            'LLM request failed',
          );
          if (delay !== undefined) {
            await this.#sleep(delay, signal);
            continue;
          }
          if (!shouldFallBack(failure.kind)) throw rejected(ref, target, failure, attempts);
          break;
        }
      }
    }
    throw new LlmUnavailableError(ref, attempts);
  }

  async #cacheGet(key: string): Promise<CachedAnswer | undefined> {
    try {
      return await this.#cache?.get(key);
    } catch (error) {
      // A cache outage costs money, not correctness: carry on to the provider.
      this.#logger?.warn({ err: error }, 'LLM cache read failed');
      return undefined;
    }
  }

  async #cacheSet(key: string, answer: CachedAnswer): Promise<void> {
    try {
      await this.#cache?.set(key, answer);
    } catch (error) {
      this.#logger?.warn({ err: error }, 'LLM cache write failed');
    }
  }

  #cost(providerModel: string, configuredModel: string | undefined, usage: Usage): number {
    const prices = this.config.LLM_PRICES;
    const model = [configuredModel, providerModel].find((m) => m !== undefined && priceOf(m, prices));
    if (model) return costOf(model, usage, prices);
    if (!this.#unpriced.has(providerModel)) {
      this.#unpriced.add(providerModel);
      this.#logger?.warn(
        { model: providerModel },
        'No price for this model: its cost counts as 0 (set LLM_PRICES)',
      );
    }
    return 0;
  }
}

function notConfigured(ref: string, provider: ProviderName, providers: Providers): PantheonError {
  const variable = providerEnv[provider];
  if (Object.values(providers).every((p) => p === undefined)) {
    return new PantheonError(
      ErrorCode.ConfigInvalid,
      `No LLM provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or OPENAI_COMPATIBLE_BASE_URL on the LLM worker (model "${ref}" runs on ${provider}, which needs ${variable}; LLM_MODELS and LLM_DEFAULT_MODEL map aliases to providers)`,
      { model: ref, provider, variable },
    );
  }
  return new PantheonError(
    ErrorCode.ConfigInvalid,
    `Model "${ref}" runs on ${provider}, which is not configured: set ${variable} (or map "${ref}" to another provider in LLM_MODELS)`,
    { model: ref, provider, variable },
  );
}

/** A failure no other model fixes: a bad key is a config error, a bad request the caller's. */
function rejected(
  ref: string,
  target: ResolvedModel,
  failure: ProviderError,
  attempts: Attempt[],
): PantheonError {
  const where = `${target.provider}/${target.model}`;
  if (failure.kind === 'auth') {
    return new PantheonError(
      ErrorCode.ConfigInvalid,
      `${where} rejected the credentials (${failure.status}): check ${providerEnv[target.provider]}`,
      { model: ref, attempts },
    );
  }
  return new PantheonError(
    ErrorCode.InvalidInput,
    `${where} rejected the request (${failure.status ?? failure.kind}): ${failure.message}`,
    {
      model: ref,
      attempts,
    },
  );
}

function endWithError(observation: Observation, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  observation.end({ level: 'ERROR', statusMessage: message.slice(0, 1000) });
}
