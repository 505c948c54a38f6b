import { defaultPayloadConverter, workflowInfo } from '@temporalio/workflow';
import type {
  Next,
  QueryInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { rootSpanIdForWorkflow, traceIdForWorkflow } from './trace-id';

/**
 * Workflow side of run tracing (bundled with the workflows; see temporal-tracing.ts): Temporal's
 * OpenTelemetry workflow interceptors, plus two changes. A run started without trace context (an
 * untraced client, a schedule) still lands in the trace derived from its workflow id, so feedback
 * by run id finds it; and queries — polled every few hundred ms by the CLI and the bot — are not
 * traced. Spans leave the sandbox through the `exporter` sink (runTracingSinks).
 */
const traceHeader = '_tracer-data';

class RunTraceInboundInterceptor extends OpenTelemetryInboundInterceptor {
  override execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    if (input.headers[traceHeader]) return super.execute(input, next);
    const { workflowId } = workflowInfo();
    const traceparent = `00-${traceIdForWorkflow(workflowId)}-${rootSpanIdForWorkflow(workflowId)}-01`;
    const headers = { ...input.headers, [traceHeader]: defaultPayloadConverter.toPayload({ traceparent }) };
    return super.execute({ ...input, headers }, next);
  }

  override handleQuery(input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, 'handleQuery'>): Promise<unknown> {
    return next(input);
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new RunTraceInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
