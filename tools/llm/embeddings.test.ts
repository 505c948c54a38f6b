import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmRouter } from './router';
import { testConfig } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import type { FakeServer, RecordedRequest } from './testing/fake-server';
import { openAiEmbeddings, openAiError } from './testing/wire';

/** A vector that encodes its text, so order can be checked: [length, first char code]. */
const vectorOf = (text: string) => [text.length, text.charCodeAt(0)];
const embedServer = (model: string) =>
  startFakeServer((request: RecordedRequest) => {
    const { input } = request.body as { input: string[] };
    return openAiEmbeddings(input.map(vectorOf), { model, shuffle: true, promptTokens: input.length * 2 });
  });

const openai = await embedServer('text-embedding-3-small');
const mistral = await embedServer('mistral-embed');
const compatible = await embedServer('nomic-embed-text');
afterAll(() => Promise.all([openai.close(), mistral.close(), compatible.close()]));
beforeEach(() => [openai, mistral, compatible].forEach((s: FakeServer) => (s.requests.length = 0)));

const router = new LlmRouter({
  config: testConfig({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${openai.url}/v1`,
    MISTRAL_API_KEY: 'mistral-test',
    MISTRAL_BASE_URL: `${mistral.url}/v1`,
    OPENAI_COMPATIBLE_BASE_URL: `${compatible.url}/v1`,
    ANTHROPIC_API_KEY: 'test',
    LLM_EMBEDDING_BATCH_SIZE: '2',
    LLM_MODELS: JSON.stringify({ 'local-embed': 'openai-compatible:nomic-embed-text' }),
  }),
});

const texts = ['alpha', 'bravo!', 'charlie', 'de', 'echo echo'];

describe('embeddings', () => {
  it('batches by LLM_EMBEDDING_BATCH_SIZE and keeps input order', async () => {
    const result = await router.embed({ texts });

    expect(openai.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([
      ['alpha', 'bravo!'],
      ['charlie', 'de'],
      ['echo echo'],
    ]);
    expect(openai.requests[0]!.body).toMatchObject({
      model: 'text-embedding-3-small',
      encoding_format: 'float',
    });
    expect(result.vectors).toEqual(texts.map(vectorOf));
    expect(result).toMatchObject({
      dimensions: 2,
      provider: 'openai',
      model: 'embed',
      usage: { inputTokens: 10, outputTokens: 0 },
    });
    expect(result.costUsd).toBeCloseTo((10 * 0.02) / 1_000_000, 15);
  });

  it('honours a per-call batch size', async () => {
    await router.embed({ texts, batchSize: 10 });
    expect(openai.requests).toHaveLength(1);
  });

  it('speaks the same API to Mistral and OpenAI-compatible servers', async () => {
    const viaMistral = await router.embed({ texts: ['one', 'two', 'three'], model: 'mistral-embed' });
    expect(viaMistral.vectors).toEqual(['one', 'two', 'three'].map(vectorOf));
    expect(mistral.requests[0]!.headers.authorization).toBe('Bearer mistral-test');
    expect(mistral.requests[0]!.path).toBe('/v1/embeddings');

    const local = await router.embed({ texts: ['x'], model: 'local-embed' });
    expect(local).toMatchObject({ provider: 'openai-compatible', providerModel: 'nomic-embed-text' });
  });

  it('redacts PII before embedding', async () => {
    await router.embed({ texts: ['contact ana@example.com'], batchSize: 5 });
    expect(openai.requests[0]!.body).toMatchObject({ input: ['contact [EMAIL_1]'] });
  });

  it('refuses an Anthropic model, which has no embeddings API', async () => {
    await expect(router.embed({ texts: ['x'], model: 'claude-sonnet' })).rejects.toThrow(/no embeddings API/);
  });

  it('retries a failed batch without repeating the ones that succeeded', async () => {
    const flaky = await startFakeServer((request, index) => {
      const { input } = request.body as { input: string[] };
      return index === 1 ? openAiError(500, 'oops') : openAiEmbeddings(input.map(vectorOf));
    });
    const llm = new LlmRouter({
      config: testConfig({
        OPENAI_API_KEY: 'sk',
        OPENAI_BASE_URL: `${flaky.url}/v1`,
        LLM_EMBEDDING_BATCH_SIZE: '2',
      }),
    });
    const result = await llm.embed({ texts });
    await flaky.close();
    expect(result.vectors).toEqual(texts.map(vectorOf));
    expect(flaky.requests.map((r) => (r.body as { input: string[] }).input[0])).toEqual([
      'alpha',
      'charlie',
      'charlie',
      'echo echo',
    ]);
  });
});
