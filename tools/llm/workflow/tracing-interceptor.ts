import type {
  ActivityInput,
  ContinueAsNewInput,
  LocalActivityInput,
  Next,
  QueryInput,
  SignalWorkflowInput,
  StartChildWorkflowExecutionInput,
  StartNexusOperationInput,
  StartNexusOperationOutput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';

/**
 * Workflow side of run tracing (bundled with the workflows; see temporal-tracing.ts): Temporal's
 * OpenTelemetry workflow interceptors, for runs whose start carried trace context — a client with
 * Langfuse tracing on (core/client.ts) or a traced parent. Other runs are left alone: no spans, and
 * no trace headers on their activities and children (headers skip the payload codec, so an
 * untraced deployment keeps a history with nothing readable in it). Queries, polled every few
 * hundred ms by the CLI and the bot, are never traced. Spans leave the sandbox through the
 * `exporter` sink (runTracingSinks).
 */
const traceHeader = '_tracer-data';

interface RunTraceState {
  traced: boolean;
}

class RunTraceInboundInterceptor extends OpenTelemetryInboundInterceptor {
  constructor(private readonly state: RunTraceState) {
    super();
  }

  override execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    this.state.traced = input.headers[traceHeader] !== undefined;
    return this.state.traced ? super.execute(input, next) : next(input);
  }

  override handleQuery(
    input: QueryInput,
    next: Next<WorkflowInboundCallsInterceptor, 'handleQuery'>,
  ): Promise<unknown> {
    return next(input);
  }

  // Updates are never traced: the OpenTelemetry interceptor decides by an SDK flag that a refused
  // Update's speculative task sets but history never keeps, so the next accepted Update took a
  // longer path live than on replay and its completion crossed a timer cancel in the command
  // order: a nondeterminism error on every later replay (tests/ai-budget.test.ts, CLI test).
  override validateUpdate(
    input: UpdateInput,
    next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>,
  ): void {
    next(input);
  }

  override handleUpdate(
    input: UpdateInput,
    next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>,
  ): Promise<unknown> {
    return next(input);
  }
}

class RunTraceOutboundInterceptor extends OpenTelemetryOutboundInterceptor {
  constructor(private readonly state: RunTraceState) {
    super();
  }

  override scheduleActivity(
    input: ActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>,
  ): Promise<unknown> {
    return this.state.traced ? super.scheduleActivity(input, next) : next(input);
  }

  override scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ): Promise<unknown> {
    return this.state.traced ? super.scheduleLocalActivity(input, next) : next(input);
  }

  override startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ): Promise<[Promise<string>, Promise<unknown>]> {
    return this.state.traced ? super.startChildWorkflowExecution(input, next) : next(input);
  }

  override startNexusOperation(
    input: StartNexusOperationInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startNexusOperation'>,
  ): Promise<StartNexusOperationOutput> {
    return this.state.traced ? super.startNexusOperation(input, next) : next(input);
  }

  override continueAsNew(
    input: ContinueAsNewInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>,
  ): Promise<never> {
    return this.state.traced ? super.continueAsNew(input, next) : next(input);
  }

  override signalWorkflow(
    input: SignalWorkflowInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'signalWorkflow'>,
  ): Promise<void> {
    return this.state.traced ? super.signalWorkflow(input, next) : next(input);
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  const state: RunTraceState = { traced: false };
  return {
    inbound: [new RunTraceInboundInterceptor(state)],
    outbound: [new RunTraceOutboundInterceptor(state)],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
