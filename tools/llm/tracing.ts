import { randomBytes } from 'node:crypto';
import {
  context as otelContext,
  isSpanContextValid,
  propagation,
  trace as otelTrace,
  TraceFlags,
} from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { isDefaultExportSpan, LangfuseSpanProcessor } from '@langfuse/otel';
import { createTraceId, setLangfuseTracerProvider, startObservation } from '@langfuse/tracing';
import type { LlmConfig } from './config';
import type { TraceContext, Usage } from './models';
import { traceIdForWorkflow } from './trace-id';

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

/**
 * Which trace a score belongs to: its id; a workflow id (runs traced through the Temporal
 * interceptors, where the trace id derives from the top-level workflow id); or a Temporal run id
 * (generations traced without the interceptors).
 */
export type ScoreTarget =
  { readonly traceId: string } | { readonly workflowId: string } | { readonly runId: string };

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

/**
 * The process's Langfuse OpenTelemetry pipeline: one tracer provider and span processor shared by
 * the LLM generations and the Temporal interceptors (tools/llm/temporal-tracing.ts), so a run's
 * client, workflow, activity and generation spans form one trace. Not registered as the global
 * tracer provider; it only adds a W3C propagator and an AsyncLocalStorage context manager when
 * the process has none, which the interceptors need to carry the trace across calls.
 */
export interface RunTelemetry {
  readonly resource: Resource;
  readonly processor: SpanProcessor;
  tracer(name: string): Tracer;
  flush(): Promise<void>;
}

interface SharedTelemetry {
  readonly key: string;
  readonly telemetry: RunTelemetry;
  readonly provider: NodeTracerProvider;
  users: number;
}

let shared: SharedTelemetry | undefined;

/** The telemetry in use in this process (the worker's LLM tracing, or a client's), if Langfuse is on. */
export function currentRunTelemetry(): RunTelemetry | undefined {
  return shared?.telemetry;
}

/** Spans Langfuse should receive: its own and LLM instrumentations', and the Temporal interceptors'. */
export function isRunTraceSpan(span: ReadableSpan): boolean {
  const scope = span.instrumentationScope.name;
  return isDefaultExportSpan(span) || scope.startsWith('@temporalio/') || scope === temporalTracerName;
}

export const temporalTracerName = 'pantheon.temporal';

/** Join (or create) the process's telemetry; `release` when done — the last one shuts it down. */
export function acquireRunTelemetry(
  config: TracingConfig,
  options: { exporter?: SpanExporter } = {},
): { telemetry: RunTelemetry; release: () => Promise<void> } | undefined {
  const { LANGFUSE_PUBLIC_KEY: publicKey, LANGFUSE_SECRET_KEY: secretKey } = config;
  if (!publicKey || !secretKey) return undefined;
  const key = [
    publicKey,
    config.LANGFUSE_BASE_URL,
    config.LANGFUSE_ENVIRONMENT,
    config.LANGFUSE_EXPORT_MODE,
  ].join('|');
  let entry: SharedTelemetry;
  if (shared && shared.key === key && !options.exporter) {
    entry = shared;
  } else {
    entry = createTelemetry(key, config, publicKey, secretKey, options.exporter);
    // The first pipeline stays the process's; a second one (tests with their own exporter) is private.
    shared ??= entry;
  }
  entry.users++;
  let released = false;
  return {
    telemetry: entry.telemetry,
    release: async () => {
      if (released) return;
      released = true;
      if (--entry.users > 0) return;
      if (shared === entry) {
        shared = undefined;
        setLangfuseTracerProvider(null);
      }
      await entry.provider.shutdown();
    },
  };
}

function createTelemetry(
  key: string,
  config: TracingConfig,
  publicKey: string,
  secretKey: string,
  exporter: SpanExporter | undefined,
): SharedTelemetry {
  const resource = resourceFromAttributes({ 'service.name': 'pantheon' });
  const processor = new LangfuseSpanProcessor({
    publicKey,
    secretKey,
    baseUrl: config.LANGFUSE_BASE_URL,
    environment: config.LANGFUSE_ENVIRONMENT,
    exportMode: config.LANGFUSE_EXPORT_MODE,
    // We never send media; skipping the scan keeps span processing cheap.
    mediaUploadEnabled: false,
    shouldExportSpan: ({ otelSpan }) => isRunTraceSpan(otelSpan),
    ...(exporter && { exporter }),
  });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // An isolated provider: any global OpenTelemetry tracer provider stays untouched.
  setLangfuseTracerProvider(provider);
  // Both return false (and change nothing) when the process already has its own.
  otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    key,
    provider,
    users: 0,
    telemetry: {
      resource,
      processor,
      tracer: (name) => provider.getTracer(name),
      flush: () => provider.forceFlush(),
    },
  };
}

class LangfuseTracing implements LlmTracing {
  readonly enabled = true;
  readonly #telemetry: RunTelemetry;
  readonly #release: () => Promise<void>;
  readonly #scoresUrl: string;
  readonly #authorization: string;

  constructor(config: TracingConfig, publicKey: string, secretKey: string, exporter?: SpanExporter) {
    const acquired = acquireRunTelemetry(config, { exporter })!;
    this.#telemetry = acquired.telemetry;
    this.#release = acquired.release;
    this.#scoresUrl = new URL('api/public/scores', withSlash(config.LANGFUSE_BASE_URL)).href;
    this.#authorization = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;
  }

  async start(info: ObservationStart): Promise<Observation> {
    const trace = info.trace ?? {};
    // Inside a traced activity (Temporal interceptors), the generation is the activity span's child.
    const active = otelTrace.getSpan(otelContext.active())?.spanContext();
    const inActiveTrace = !trace.traceId && active !== undefined && isSpanContextValid(active);
    const traceId = trace.traceId ?? (trace.runId ? await traceIdForRun(trace.runId) : undefined);
    const attributes = { input: info.input, model: info.model, modelParameters: info.modelParameters };
    const parentSpanContext =
      traceId && !inActiveTrace
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
    const traceId =
      'traceId' in target
        ? target.traceId
        : 'workflowId' in target
          ? traceIdForWorkflow(target.workflowId)
          : await traceIdForRun(target.runId);
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
    return this.#telemetry.flush();
  }

  shutdown(): Promise<void> {
    return this.#release();
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
