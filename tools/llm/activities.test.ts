import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActivityRegistry } from '../../core/registry/activity-registry';
import { createLlmActivities } from './activities';
import { LlmRouter } from './router';
import { llmEmbed, llmGenerate, llmSpecs, structured } from './specs';
import { testConfig } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import { openAiChat, openAiEmbeddings } from './testing/wire';

const openai = await startFakeServer((request, index) =>
  request.path.endsWith('/embeddings')
    ? openAiEmbeddings([[1, 2, 3]])
    : openAiChat({
        content:
          index === 0 ? 'plain answer' : JSON.stringify({ label: 'spam', score: index === 1 ? 7 : 0.9 }),
      }),
);
afterAll(() => openai.close());

const router = new LlmRouter({
  config: testConfig({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${openai.url}/v1`,
    LLM_DEFAULT_MODEL: 'gpt-4o-mini',
  }),
});
const registry = new ActivityRegistry().register(...createLlmActivities({ router }));

describe('LLM activities', () => {
  it('registers llm.generate and llm.embed on the llm tier', () => {
    expect(registry.list({ tier: 'llm' }).map((s) => s.name)).toEqual(['llm.embed', 'llm.generate']);
    expect(llmSpecs).toEqual([llmGenerate, llmEmbed]);
    expect(llmGenerate.retry.nonRetryableErrorTypes).toContain('LlmOutputInvalid');
  });

  it('generates text, and structured output validated against the JSON Schema from the workflow', async () => {
    const text = (await registry.execute('llm.generate', {
      messages: [{ role: 'user', content: 'hi' }],
    })) as { text: string };
    expect(text.text).toBe('plain answer');

    const Label = z.object({ label: z.enum(['spam', 'ham']), score: z.number().max(1) });
    const output = (await registry.execute('llm.generate', {
      messages: [{ role: 'user', content: 'classify' }],
      structured: structured(Label, { name: 'label', maxRepairs: 1 }),
    })) as { data: unknown; rounds: number };
    // The first structured answer had score 7 (> 1): repaired once.
    expect(output.rounds).toBe(2);
    expect(Label.parse(output.data)).toEqual({ label: 'spam', score: 0.9 });
  });

  it('embeds', async () => {
    const output = (await registry.execute('llm.embed', { texts: ['a'] })) as { vectors: number[][] };
    expect(output.vectors).toEqual([[1, 2, 3]]);
  });

  it('rejects bad input before calling anything', async () => {
    await expect(registry.execute('llm.generate', { messages: [] })).rejects.toMatchObject({
      code: 'InvalidInput',
    });
  });
});
