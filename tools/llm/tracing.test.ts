import { afterAll, describe, expect, it } from 'vitest';
import type { CachedAnswer } from './cache';
import { LlmRouter } from './router';
import { testConfig } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import type { RecordedRequest } from './testing/fake-server';
import { openAiChat, openAiEmbeddings } from './testing/wire';
import { createLlmTracing, traceIdForRun } from './tracing';

const openai = await startFakeServer((request) =>
  request.path.endsWith('/embeddings')
    ? openAiEmbeddings([[0.1, 0.2]])
    : openAiChat({ content: 'Mail [EMAIL_1] now', promptTokens: 1000, completionTokens: 100 }),
);
const langfuse = await startFakeServer((request) =>
  request.path === '/api/public/scores' ? { body: { id: 'score-1' } } : { body: {} },
);
afterAll(() => Promise.all([openai.close(), langfuse.close()]));

interface OtlpAttribute {
  key: string;
  value: {
    stringValue?: string;
    intValue?: number | string;
    boolValue?: boolean;
    arrayValue?: { values: { stringValue?: string }[] };
  };
}
interface OtlpSpan {
  name: string;
  traceId: string;
  attributes: OtlpAttribute[];
}

/** Every span the fake Langfuse received, with attributes as a flat record. */
function receivedSpans(
  requests: RecordedRequest[],
): { name: string; traceId: string; attributes: Record<string, unknown> }[] {
  return requests
    .filter((r) => r.path === '/api/public/otel/v1/traces')
    .flatMap((r) => (r.body as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans)
    .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
    .map((span) => ({
      name: span.name,
      traceId: span.traceId,
      attributes: Object.fromEntries(
        span.attributes.map((a) => [
          a.key,
          a.value.stringValue ??
            a.value.intValue ??
            a.value.boolValue ??
            a.value.arrayValue?.values.map((v) => v.stringValue),
        ]),
      ),
    }));
}

const env = {
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: `${openai.url}/v1`,
  LLM_DEFAULT_MODEL: 'gpt-4o-mini',
  LANGFUSE_PUBLIC_KEY: 'pk-lf-test',
  LANGFUSE_SECRET_KEY: 'sk-lf-test',
  LANGFUSE_BASE_URL: langfuse.url,
};

describe('Langfuse tracing', () => {
  it('exports each generation with prompt, model, usage, cost, cache hit, latency and run ids', async () => {
    const config = testConfig(env);
    const tracing = createLlmTracing(config);
    expect(tracing.enabled).toBe(true);
    const router = new LlmRouter({ config, tracing });

    const result = await router.generate({
      messages: [{ role: 'user', content: 'Write to ana@example.com' }],
      temperature: 0,
      trace: {
        name: 'invoice-review',
        runId: 'run-123',
        workflowId: 'wf-abc',
        activityId: '7',
        userId: 'U42',
      },
    });
    await tracing.flush();

    const expectedTraceId = await traceIdForRun('run-123');
    expect(result.traceId).toBe(expectedTraceId);
    const export_ = langfuse.requests.find((r) => r.path === '/api/public/otel/v1/traces')!;
    expect(export_.headers.authorization).toBe(
      `Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`,
    );

    const [span] = receivedSpans(langfuse.requests);
    expect(span).toBeDefined();
    expect(span!.name).toBe('invoice-review');
    expect(span!.traceId).toBe(expectedTraceId);
    const a = span!.attributes;
    expect(a['langfuse.observation.type']).toBe('generation');
    expect(a['langfuse.observation.model.name']).toBe('gpt-4o-mini-2024-07-18');
    // The prompt as sent: redacted, never the address itself.
    expect(a['langfuse.observation.input']).toContain('Write to [EMAIL_1]');
    expect(JSON.stringify(a)).not.toContain('ana@example.com');
    expect(a['langfuse.observation.output']).toBe('Mail [EMAIL_1] now');
    expect(JSON.parse(a['langfuse.observation.usage_details'] as string)).toEqual({
      input: 1000,
      output: 100,
      total: 1100,
    });
    expect(JSON.parse(a['langfuse.observation.cost_details'] as string).total).toBeCloseTo(
      result.costUsd,
      12,
    );
    expect(JSON.parse(a['langfuse.observation.model.parameters'] as string)).toMatchObject({
      temperature: 0,
      alias: 'gpt-4o-mini',
    });
    expect(a['langfuse.observation.metadata.cached']).toBe('false');
    expect(Number(a['langfuse.observation.metadata.latencyMs'])).toBeGreaterThan(0);
    expect(a['langfuse.trace.metadata.runId']).toBe('run-123');
    expect(a['langfuse.trace.metadata.workflowId']).toBe('wf-abc');
    expect(a['langfuse.trace.metadata.activityId']).toBe('7');
    expect(a['session.id']).toBe('wf-abc');
    expect(a['user.id']).toBe('U42');

    await tracing.shutdown();
  });

  it('marks cache hits, traces embeddings and errors', async () => {
    langfuse.requests.length = 0;
    const config = testConfig({ ...env, LLM_CACHE_ENABLED: 'true' });
    const tracing = createLlmTracing(config);
    const store = new Map<string, string>();
    const router = new LlmRouter({
      config,
      tracing,
      cache: {
        get: async (key) => (store.has(key) ? (JSON.parse(store.get(key)!) as CachedAnswer) : undefined),
        set: async (key, value) => void store.set(key, JSON.stringify(value)),
      },
    });
    const request = { messages: [{ role: 'user' as const, content: 'same' }], temperature: 0 };
    await router.generate(request);
    await router.generate(request);
    await router.embed({ texts: ['x'], model: 'embed' });
    await router
      .generate({ messages: [{ role: 'user', content: 'hi' }], model: 'nope' })
      .catch(() => undefined);
    await router
      .generate({ messages: [{ role: 'user', content: 'x'.repeat(10) }], maxOutputChars: 1 })
      .catch(() => undefined);
    await tracing.flush();

    const spans = receivedSpans(langfuse.requests);
    // Two generations (miss, hit), the embedding, the failed generation; the unknown model fails before any span.
    expect(spans.map((s) => s.attributes['langfuse.observation.type'])).toEqual([
      'generation',
      'generation',
      'embedding',
      'generation',
    ]);
    expect(spans.slice(0, 2).map((s) => s.attributes['langfuse.observation.metadata.cached'])).toEqual([
      'false',
      'true',
    ]);
    expect(JSON.parse(spans[1]!.attributes['langfuse.observation.cost_details'] as string)).toEqual({
      total: 0,
    });
    const embedding = spans.find((s) => s.attributes['langfuse.observation.type'] === 'embedding')!;
    expect(embedding.attributes['langfuse.observation.model.name']).toBe('text-embedding-3-small');
    const failed = spans.at(-1)!;
    expect(failed.attributes['langfuse.observation.level']).toBe('ERROR');
    expect(failed.attributes['langfuse.observation.status_message']).toMatch(/over the limit/);
    await tracing.shutdown();
  });

  it('scores a run by run id (same trace id) through the public API', async () => {
    langfuse.requests.length = 0;
    const tracing = createLlmTracing(testConfig(env));
    await tracing.scoreRun({ runId: 'run-123' }, 'user-feedback', true, { comment: 'thumbs up in Slack' });
    await tracing.scoreRun({ traceId: 'a'.repeat(32) }, 'quality', 0.8);

    const [byRun, byTrace] = langfuse.requests.filter((r) => r.path === '/api/public/scores');
    expect(byRun!.headers.authorization).toMatch(/^Basic /);
    expect(byRun!.body).toEqual({
      traceId: await traceIdForRun('run-123'),
      name: 'user-feedback',
      value: 1,
      dataType: 'BOOLEAN',
      comment: 'thumbs up in Slack',
    });
    expect(byTrace!.body).toMatchObject({ traceId: 'a'.repeat(32), value: 0.8, dataType: 'NUMERIC' });
    await tracing.shutdown();
  });

  it('is a no-op without keys: nothing is sent, no trace id', async () => {
    langfuse.requests.length = 0;
    const config = testConfig({ ...env, LANGFUSE_PUBLIC_KEY: undefined, LANGFUSE_SECRET_KEY: undefined });
    const tracing = createLlmTracing(config);
    expect(tracing.enabled).toBe(false);
    const result = await new LlmRouter({ config, tracing }).generate({
      messages: [{ role: 'user', content: 'hi' }],
      trace: { runId: 'r' },
    });
    await tracing.flush();
    await tracing.scoreRun({ runId: 'r' }, 'x', 1);
    expect(result.traceId).toBeUndefined();
    expect(langfuse.requests).toHaveLength(0);
  });
});
