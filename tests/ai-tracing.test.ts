import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runs } from '../core/runs';
import { createDataConverter } from '../core/temporal/data-converter';
import { createFeedbackScorer } from '../tools/llm/feedback-scores';
import { flushRunTracing, runTracingClientInterceptors } from '../tools/llm/temporal-tracing';
import { startFakeServer } from '../tools/llm/testing/fake-server';
import type { FakeServer, RecordedRequest } from '../tools/llm/testing/fake-server';
import { openAiChat } from '../tools/llm/testing/wire';
import { traceIdForWorkflow } from '../tools/llm/trace-id';
import { createWorkflowRegistry } from '../config/workflows';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

/**
 * One Langfuse trace per run: a local server stands in for Langfuse (its OTLP endpoint and score
 * API); the client, the workflow, its activities and the generation must all land in the trace
 * derived from the run's workflow id, each span the child of the one before.
 */
let openai: FakeServer;
let langfuse: FakeServer;
let stack: Stack;
let runs: Runs;

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: {
    key: string;
    value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
  }[];
}
interface Span {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

function spans(requests: RecordedRequest[]): Span[] {
  return requests
    .filter((r) => r.path === '/api/public/otel/v1/traces')
    .flatMap((r) => (r.body as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans)
    .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
    .map((s) => ({
      name: s.name,
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId || undefined,
      attributes: Object.fromEntries(
        s.attributes.map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue]),
      ),
    }));
}

beforeAll(async () => {
  openai = await startFakeServer((request) => {
    const body = request.body as { tool_choice?: unknown; messages: { role: string }[] };
    // The agent's first turn calls the column-mapping workflow; its next turn answers.
    if (body.tool_choice === 'auto' && !body.messages.some((m) => m.role === 'tool')) {
      const args = { source: { columns: ['a'], rows: [['x']] }, target: { columns: ['b'] } };
      return openAiChat({
        content: null,
        toolCalls: [{ id: 'c1', name: 'column-mapping', arguments: JSON.stringify(args) }],
      });
    }
    if (body.tool_choice) return openAiChat({ content: 'Mapped.' });
    return openAiChat({
      content: JSON.stringify({
        mappings: [{ target: 'b', source: 'a', transform: 'copy', confidence: 1, note: null }],
      }),
    });
  });
  langfuse = await startFakeServer(() => ({ body: {} }));
  stack = await startStack({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${openai.url}/v1`,
    LLM_MODELS: JSON.stringify({ smart: { provider: 'openai', model: 'gpt-4o-mini' } }),
    LLM_CACHE_ENABLED: 'false',
    LANGFUSE_PUBLIC_KEY: 'pk-lf-test',
    LANGFUSE_SECRET_KEY: 'sk-lf-test',
    LANGFUSE_BASE_URL: langfuse.url,
    LANGFUSE_EXPORT_MODE: 'immediate',
  });
  // A client as core/client.ts builds it: starts and signals carry the run's trace.
  const client = new Client({
    connection: stack.client.connection,
    namespace: stack.config.TEMPORAL_NAMESPACE,
    dataConverter: createDataConverter(stack.config),
    interceptors: runTracingClientInterceptors(stack.config),
  });
  runs = new Runs(client, createWorkflowRegistry(), stack.config);
});

afterAll(async () => {
  await stack?.close();
  await Promise.all([openai?.close(), langfuse?.close()]);
});

async function waitForSpans(traceId: string, names: string[]): Promise<Span[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await flushRunTracing();
    const found = spans(langfuse.requests).filter((s) => s.traceId === traceId);
    if (names.every((n) => found.some((s) => s.name === n))) return found;
    if (Date.now() > deadline)
      throw new Error(
        `Spans missing: ${names.filter((n) => !found.some((s) => s.name === n)).join(', ')}; got ${found.map((s) => s.name).join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('run tracing', () => {
  it('links client → workflow → activity → generation in one trace per run, carrying the run id', async () => {
    const run = await runs.start('column-mapping', {
      source: { columns: ['a'], rows: [['x']] },
      target: { columns: ['b'] },
    });
    await runs.handle(run.workflowId).result();
    const traceId = traceIdForWorkflow(run.workflowId);
    const found = await waitForSpans(traceId, [
      'StartWorkflow:columnMapping',
      'RunWorkflow:columnMapping',
      'StartActivity:llm.generate',
      'RunActivity:llm.generate',
      'llm.generate',
    ]);
    const byName = (name: string) => found.find((s) => s.name === name)!;
    const start = byName('StartWorkflow:columnMapping');
    const workflow = byName('RunWorkflow:columnMapping');
    const schedule = byName('StartActivity:llm.generate');
    const activity = byName('RunActivity:llm.generate');
    const generation = byName('llm.generate');

    // Each span is the child of the one before it.
    expect(workflow.parentSpanId).toBe(start.spanId);
    expect(schedule.parentSpanId).toBe(workflow.spanId);
    expect(activity.parentSpanId).toBe(schedule.spanId);
    expect(generation.parentSpanId).toBe(activity.spanId);

    // And each says which run it belongs to.
    expect(start.attributes.run_id).toBe(run.runId);
    expect(workflow.attributes).toMatchObject({
      run_id: run.runId,
      temporalWorkflowId: run.workflowId,
      'langfuse.trace.name': 'columnMapping',
    });
    expect(activity.attributes).toMatchObject({ run_id: run.runId, temporalWorkflowId: run.workflowId });
    expect(generation.attributes).toMatchObject({
      'langfuse.observation.type': 'generation',
      'langfuse.trace.metadata.runId': run.runId,
      'langfuse.trace.metadata.workflowId': run.workflowId,
    });
    // Queries polled while the run went on are not traced.
    expect(found.some((s) => /Query/.test(s.name))).toBe(false);

    // 👍 on the run's result lands on the same trace.
    await createFeedbackScorer(stack.config).scoreFeedback(run.workflowId, '+1', 'slack:U1');
    const score = langfuse.requests.find((r) => r.path === '/api/public/scores')!;
    expect(score.body).toMatchObject({ traceId, name: 'user-feedback', value: 1 });
  });

  it('keeps child workflows in their parent run’s trace', async () => {
    const run = await runs.start('agent', { request: 'Map it', allow: ['column-mapping'] });
    await runs.handle(run.workflowId).result();
    const traceId = traceIdForWorkflow(run.workflowId);
    const found = await waitForSpans(traceId, [
      'RunWorkflow:agent',
      'RunActivity:actions.list',
      'StartChildWorkflow:columnMapping',
      'RunWorkflow:columnMapping',
      'RunActivity:llm.generate',
      // Generations: the agent names its own; the child's keep the default name.
      'agent',
      'llm.generate',
    ]);
    const byName = (name: string) => found.filter((s) => s.name === name);
    const [root] = byName('RunWorkflow:agent');
    const [child] = byName('RunWorkflow:columnMapping');
    expect(root!.attributes).toMatchObject({ run_id: run.runId, 'langfuse.trace.name': 'agent' });
    // The child runs in its parent's trace, under the span that started it.
    expect(child!.parentSpanId).toBe(byName('StartChildWorkflow:columnMapping')[0]!.spanId);
    expect(child!.attributes).toMatchObject({ 'langfuse.trace.metadata.workflowId': run.workflowId });
    expect(child!.attributes['langfuse.trace.name']).toBeUndefined();
    // Three generations: the agent's two turns and the child's one.
    expect(found.filter((s) => s.attributes['langfuse.observation.type'] === 'generation')).toHaveLength(3);
  });

  it('leaves a run started without trace context alone: no spans, no trace headers in its history', async () => {
    // The stack's own client has no tracing interceptors (like a schedule or a foreign client).
    const before = langfuse.requests.length;
    const run = await stack.runs.start('column-mapping', {
      source: { columns: ['a'], rows: [['y']] },
      target: { columns: ['b'] },
    });
    await stack.runs.handle(run.workflowId).result();
    await flushRunTracing();
    const traceId = traceIdForWorkflow(run.workflowId);
    const runSpans = spans(langfuse.requests.slice(before)).filter(
      (s) =>
        s.traceId === traceId ||
        s.attributes.run_id === run.runId ||
        s.attributes['langfuse.trace.metadata.runId'] === run.runId,
    );
    // Only the generation, traced by run id as before the interceptors existed.
    expect(runSpans.map((s) => s.name)).toEqual(['llm.generate']);
    const history = await stack.runs.handle(run.workflowId).fetchHistory();
    const headers = history.events!.flatMap((e) =>
      Object.keys(e.activityTaskScheduledEventAttributes?.header?.fields ?? {}),
    );
    expect(headers).toEqual([]);
  });
});
