import type {
  FailureKind,
  FinishReason,
  LlmMessage,
  ProviderName,
  ResponseFormat,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../models';

/** One chat request to one provider model, after alias resolution and redaction. */
export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly LlmMessage[];
  readonly temperature?: number;
  readonly maxTokens: number;
  readonly timeoutMs: number;
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
  /** When set, `text` of the response is the JSON answer. */
  readonly responseFormat?: ResponseFormat;
  readonly structuredOutput?: 'json_schema' | 'tool';
  readonly signal?: AbortSignal;
}

export interface ChatResponse {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
  /** The model id the provider reports (often a dated snapshot). */
  readonly providerModel: string;
}

export interface EmbedRequest {
  readonly model: string;
  readonly texts: readonly string[];
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface EmbedResponse {
  /** In the order of `texts`. */
  readonly vectors: number[][];
  readonly inputTokens: number;
  readonly providerModel: string;
}

/** A provider API behind one interface; failures are thrown as ProviderError. */
export interface LlmProvider {
  readonly name: ProviderName;
  chat(request: ChatRequest): Promise<ChatResponse>;
  embed(request: EmbedRequest): Promise<EmbedResponse>;
}

/** A provider failure, classified so the router can decide: retry, fall back, or stop. */
export class ProviderError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Worth retrying the same model. */
export function isRetryable(kind: FailureKind): boolean {
  return kind === 'rate_limit' || kind === 'server' || kind === 'timeout' || kind === 'connection';
}

/** Worth trying the next model (a bigger context window helps context_length; unknown errors may be provider-specific). */
export function shouldFallBack(kind: FailureKind): boolean {
  return isRetryable(kind) || kind === 'context_length' || kind === 'not_configured' || kind === 'unknown';
}

const contextLengthPattern =
  /context[_ ]length|context window|maximum context|prompt is too long|too many tokens|input is too long|reduce the length/i;

/** The parts of an SDK error (OpenAI and Anthropic share the shape) that classify it. */
export interface ErrorFacts {
  readonly status?: number;
  readonly headers?: Headers;
  readonly code?: string | null;
  readonly message: string;
  readonly timeout: boolean;
  readonly connection: boolean;
  readonly aborted: boolean;
}

export function classify(facts: ErrorFacts): ProviderError {
  const { status, message } = facts;
  const retryAfterMs = retryAfter(facts.headers);
  const kind: FailureKind = facts.aborted
    ? 'aborted'
    : facts.timeout || status === 408
      ? 'timeout'
      : facts.connection
        ? 'connection'
        : status === 429
          ? 'rate_limit'
          : status !== undefined && status >= 500
            ? 'server'
            : status === 413 || facts.code === 'context_length_exceeded' || contextLengthPattern.test(message)
              ? 'context_length'
              : status === 401 || status === 403
                ? 'auth'
                : status !== undefined && status >= 400
                  ? 'invalid_request'
                  : 'unknown';
  return new ProviderError(kind, message, status, retryAfterMs);
}

/** Retry-After in ms: `retry-after-ms` (OpenAI), else `retry-after` as seconds or an HTTP date. */
export function retryAfter(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
