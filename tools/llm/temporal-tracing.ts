import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { Attributes, Context, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type {
  ClientInterceptors,
  Next as ClientNext,
  WorkflowClientInterceptor,
  WorkflowSignalInput,
  WorkflowSignalWithStartInput,
  WorkflowStartInput,
  WorkflowStartOutput,
} from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import type { SerializableSpan } from '@temporalio/interceptors-opentelemetry/lib/workflow/definitions';
import { OpenTelemetryActivityInboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/worker';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  InjectedSinks,
  Next,
} from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import { acquireRunTelemetry, currentRunTelemetry, temporalTracerName } from './tracing';
import type { RunTelemetry, TracingConfig } from './tracing';
import { rootSpanIdForWorkflow, traceIdForWorkflow } from './trace-id';

/**
 * One Langfuse trace per run, across processes: the client (bot, CLI) starts a run inside the
 * trace derived from its workflow id, Temporal's OpenTelemetry interceptors carry the context in
 * headers to the workflow, its children and its activities, and a generation inside `llm.generate`
 * becomes the activity span's child (tools/llm/tracing.ts). Everything goes through the LLM
 * tracing's own tracer provider and Langfuse span processor; without Langfuse keys nothing here
 * does anything.
 *
 *   client:  new Client({ ..., interceptors: runTracingClientInterceptors(config) })
 *   worker:  Worker.create({ ..., interceptors: { activity: runTracingActivityInterceptors() },
 *                               sinks: runTracingSinks() })
 *           + workflow/tracing-interceptor.ts among the bundle's workflow interceptor modules
 */

/**
 * Client interceptors: a span for each start and signal, in the run's trace. Queries and describes
 * (polled by the CLI and the bot) are not traced. Empty without Langfuse keys.
 */
export function runTracingClientInterceptors(config: TracingConfig): ClientInterceptors {
  const acquired = acquireRunTelemetry(config);
  if (!acquired) return {};
  // Held for the life of the process (the client's); `flushRunTracing` before a short process exits.
  const tracer = acquired.telemetry.tracer(temporalTracerName);
  return {
    workflow: [new RunTraceClientInterceptor(new OpenTelemetryWorkflowClientInterceptor({ tracer }))],
  };
}

/** Export what is buffered: call before a short-lived process (the CLI) exits. */
export async function flushRunTracing(): Promise<void> {
  await currentRunTelemetry()?.flush();
}

/** Run `fn` inside the trace of a run (e.g. the bot's handling of a command that starts it). */
export function withRunTrace<T>(workflowId: string, fn: () => T): T {
  return context.with(runTraceContext(workflowId), fn);
}

/** Activity interceptors: a span per activity execution, child of the workflow's StartActivity span. */
export function runTracingActivityInterceptors(): ActivityInterceptorsFactory[] {
  return [
    (ctx) => {
      const telemetry = currentRunTelemetry();
      if (!telemetry) return {};
      return {
        inbound: new RunTraceActivityInterceptor(ctx, { tracer: telemetry.tracer(temporalTracerName) }),
      };
    },
  ];
}

/** Activities of untraced runs (no trace header) get no span of their own. */
class RunTraceActivityInterceptor extends OpenTelemetryActivityInboundInterceptor {
  override execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    return input.headers[traceHeader] ? super.execute(input, next) : next(input);
  }
}

const traceHeader = '_tracer-data';

/** The sink the workflow interceptors export their spans through (a no-op without telemetry). */
export function runTracingSinks(): InjectedSinks<{ exporter: { export(spans: SerializableSpan[]): void } }> {
  return {
    exporter: {
      export: {
        fn: (info: WorkflowInfo, spans: SerializableSpan[]) => {
          const telemetry = currentRunTelemetry();
          if (!telemetry) return;
          for (const span of spans) telemetry.processor.onEnd(readableSpan(span, info, telemetry));
        },
        // Spans of a replayed task were exported when it first ran.
        callDuringReplay: false,
      },
    },
  };
}

/** A context whose (remote, never exported) parent puts new spans into the run's trace. */
export function runTraceContext(workflowId: string, base: Context = context.active()): Context {
  return trace.setSpanContext(base, {
    traceId: traceIdForWorkflow(workflowId),
    spanId: rootSpanIdForWorkflow(workflowId),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/** Puts client calls into the run's trace, unless the caller already works inside that trace. */
class RunTraceClientInterceptor implements WorkflowClientInterceptor {
  constructor(private readonly otel: OpenTelemetryWorkflowClientInterceptor) {}

  start(input: WorkflowStartInput, next: ClientNext<WorkflowClientInterceptor, 'start'>): Promise<string> {
    return inRunTrace(input.options.workflowId, () => this.otel.start(input, next));
  }

  startWithDetails(
    input: WorkflowStartInput,
    next: ClientNext<WorkflowClientInterceptor, 'startWithDetails'>,
  ): Promise<WorkflowStartOutput> {
    return inRunTrace(input.options.workflowId, () => this.otel.startWithDetails(input, next));
  }

  signal(input: WorkflowSignalInput, next: ClientNext<WorkflowClientInterceptor, 'signal'>): Promise<void> {
    return inRunTrace(input.workflowExecution.workflowId, () => this.otel.signal(input, next));
  }

  signalWithStart(
    input: WorkflowSignalWithStartInput,
    next: ClientNext<WorkflowClientInterceptor, 'signalWithStart'>,
  ): Promise<string> {
    return inRunTrace(input.options.workflowId, () => this.otel.signalWithStart(input, next));
  }
}

function inRunTrace<T>(workflowId: string, fn: () => T): T {
  const active = trace.getSpan(context.active())?.spanContext();
  if (active?.traceId === traceIdForWorkflow(workflowId)) return fn();
  return context.with(runTraceContext(workflowId), fn);
}

/**
 * A workflow span from the sandbox (OpenTelemetry 1.x shape) as the 2.x span the Langfuse processor
 * takes, with the run's ids and, on a top-level run, its Langfuse trace name.
 */
function readableSpan(span: SerializableSpan, info: WorkflowInfo, telemetry: RunTelemetry): ReadableSpan {
  const { traceState: _traceState, ...ids } = span.spanContext;
  const spanContext: SpanContext = ids;
  const attributes: Attributes = {
    ...span.attributes,
    run_id: info.runId,
    temporalWorkflowId: info.workflowId,
    temporalWorkflowType: info.workflowType,
    'langfuse.trace.metadata.workflowId': info.root?.workflowId ?? info.workflowId,
    ...(!info.parent && { 'langfuse.trace.name': info.workflowType, 'session.id': info.workflowId }),
  };
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => spanContext,
    ...(span.parentSpanId && {
      parentSpanContext: {
        traceId: ids.traceId,
        spanId: span.parentSpanId,
        traceFlags: ids.traceFlags,
        isRemote: false,
      },
    }),
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: true,
    resource: telemetry.resource,
    instrumentationScope: span.instrumentationLibrary,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
