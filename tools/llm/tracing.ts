import { randomBytes } from 'node:crypto';
import { TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { createTraceId, setLangfuseTracerProvider, startObservation } from '@langfuse/tracing';
import type { LlmConfig } from './config';
import type { TraceContext, Usage } from './models';

/**
 * Langfuse tracing of generations and embeddings, over OpenTelemetry. Inputs arrive here already
 * redacted, so traces never hold the PII the guardrails took out. Off (a no-op) without keys.
 */
export interface ObservationStart {
  readonly kind: 'generation' | 'embedding';
  readonly name: string;
  readonly model: string;
  readonly input: unknown;
  readonly modelParameters?: Record<string, string | number>;
  readonly trace?: TraceContext;
}

export interface ObservationEnd {
  readonly output?: unknown;
  /** The model that answered, when it differs from the one started with (fallbacks). */
  readonly model?: string;
  readonly usage?: Usage;
  readonly costUsd?: number;
  readonly metadata?: Record<string, unknown>;
  readonly level?: 'DEFAULT' | 'WARNING' | 'ERROR';
  readonly statusMessage?: string;
}

export interface Observation {
  readonly traceId?: string;
  end(result: ObservationEnd): void;
}

/** Which trace a score belongs to: its id, or the workflow run it was derived from. */
export type ScoreTarget = { readonly traceId: string } | { readonly runId: string };

export interface LlmTracing {
  readonly enabled: boolean;
  start(info: ObservationStart): Promise<Observation>;
  /** Record feedback (👍 = 1, a rating, "good"…) on a trace in Langfuse. */
  scoreRun(
    target: ScoreTarget,
    name: string,
    value: number | string | boolean,
    options?: { comment?: string },
  ): Promise<void>;
  /** Export what is buffered (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const noopObservation: Observation = { end() {} };

export const noopTracing: LlmTracing = {
  enabled: false,
  start: async () => noopObservation,
  scoreRun: async () => {},
  flush: async () => {},
  shutdown: async () => {},
};

export type TracingConfig = Pick<
  LlmConfig,
  | 'LANGFUSE_PUBLIC_KEY'
  | 'LANGFUSE_SECRET_KEY'
  | 'LANGFUSE_BASE_URL'
  | 'LANGFUSE_ENVIRONMENT'
  | 'LANGFUSE_EXPORT_MODE'
>;

/** Langfuse's trace id for a run: the same run always lands in the same trace, and can be scored by run id. */
export function traceIdForRun(runId: string): Promise<string> {
  return createTraceId(runId);
}

export function createLlmTracing(
  config: TracingConfig,
  options: { exporter?: SpanExporter } = {},
): LlmTracing {
  const { LANGFUSE_PUBLIC_KEY: publicKey, LANGFUSE_SECRET_KEY: secretKey } = config;
  if (!publicKey || !secretKey) return noopTracing;
  return new LangfuseTracing(config, publicKey, secretKey, options.exporter);
}

class LangfuseTracing implements LlmTracing {
  readonly enabled = true;
  readonly #provider: NodeTracerProvider;
  readonly #scoresUrl: string;
  readonly #authorization: string;

  constructor(config: TracingConfig, publicKey: string, secretKey: string, exporter?: SpanExporter) {
    this.#provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'pantheon' }),
      spanProcessors: [
        new LangfuseSpanProcessor({
          publicKey,
          secretKey,
          baseUrl: config.LANGFUSE_BASE_URL,
          environment: config.LANGFUSE_ENVIRONMENT,
          exportMode: config.LANGFUSE_EXPORT_MODE,
          // We never send media; skipping the scan keeps span processing cheap.
          mediaUploadEnabled: false,
          ...(exporter && { exporter }),
        }),
      ],
    });
    // An isolated provider: Temporal's or anyone's global OpenTelemetry setup stays untouched.
    setLangfuseTracerProvider(this.#provider);
    this.#scoresUrl = new URL('api/public/scores', withSlash(config.LANGFUSE_BASE_URL)).href;
    this.#authorization = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;
  }

  async start(info: ObservationStart): Promise<Observation> {
    const trace = info.trace ?? {};
    const traceId = trace.traceId ?? (trace.runId ? await traceIdForRun(trace.runId) : undefined);
    const attributes = { input: info.input, model: info.model, modelParameters: info.modelParameters };
    const parentSpanContext = traceId
      ? { traceId, spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.SAMPLED, isRemote: true }
      : undefined;
    const observation =
      info.kind === 'generation'
        ? startObservation(info.name, attributes, { asType: 'generation', parentSpanContext })
        : startObservation(info.name, attributes, { asType: 'embedding', parentSpanContext });
    observation.otelSpan.setAttributes(traceAttributes(trace));
    return {
      traceId: observation.traceId,
      end(result) {
        observation.update({
          output: result.output,
          ...(result.model && { model: result.model }),
          ...(result.usage && {
            usageDetails: {
              input: result.usage.inputTokens,
              output: result.usage.outputTokens,
              total: result.usage.totalTokens,
            },
          }),
          ...(result.costUsd !== undefined && { costDetails: { total: result.costUsd } }),
          metadata: result.metadata,
          level: result.level,
          statusMessage: result.statusMessage,
        });
        observation.end();
      },
    };
  }

  async scoreRun(
    target: ScoreTarget,
    name: string,
    value: number | string | boolean,
    options: { comment?: string } = {},
  ) {
    const traceId = 'traceId' in target ? target.traceId : await traceIdForRun(target.runId);
    const body = {
      traceId,
      name,
      value: typeof value === 'boolean' ? (value ? 1 : 0) : value,
      dataType:
        typeof value === 'boolean' ? 'BOOLEAN' : typeof value === 'number' ? 'NUMERIC' : 'CATEGORICAL',
      ...(options.comment && { comment: options.comment }),
    };
    const response = await fetch(this.#scoresUrl, {
      method: 'POST',
      headers: { authorization: this.#authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new Error(
        `Langfuse refused the score "${name}" for trace ${traceId}: ${response.status} ${await response.text()}`,
      );
    }
  }

  flush(): Promise<void> {
    return this.#provider.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.#provider.shutdown();
    setLangfuseTracerProvider(null);
  }
}

/** Trace-level Langfuse attributes, set on each span since we keep no OpenTelemetry context. */
function traceAttributes(trace: TraceContext): Record<string, string | string[]> {
  const attributes: Record<string, string | string[]> = {};
  const name = trace.name ?? trace.workflowId;
  if (name) attributes['langfuse.trace.name'] = name;
  if (trace.workflowId) attributes['session.id'] = trace.workflowId;
  if (trace.userId) attributes['user.id'] = trace.userId;
  if (trace.tags?.length) attributes['langfuse.trace.tags'] = trace.tags;
  for (const key of ['runId', 'workflowId', 'activityId'] as const) {
    const value = trace[key];
    if (value) attributes[`langfuse.trace.metadata.${key}`] = value;
  }
  return attributes;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
