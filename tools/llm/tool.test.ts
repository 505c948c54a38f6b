import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { runLlmGenerate } from './generate';
import { createLlmRouter } from './tool';
import { testConfig } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import { openAiChat } from './testing/wire';

const openai = await startFakeServer(() => openAiChat({ content: 'tool answer' }));
afterAll(() => openai.close());

describe('createLlmRouter', () => {
  it('wires the Redis cache from the settings: a repeated temperature-0 call is answered from it', async () => {
    const setup = createLlmRouter({
      config: {
        ...testConfig({
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: `${openai.url}/v1`,
          LLM_DEFAULT_MODEL: 'gpt-4o-mini',
          LLM_CACHE_ENABLED: 'true',
          LLM_CACHE_PREFIX: `pantheon-test:llm-tool:${randomUUID()}:`,
          LLM_CACHE_TTL_SECONDS: '5',
        }),
        REDIS_URL: 'redis://127.0.0.1:6379',
      },
    });
    const request = { messages: [{ role: 'user' as const, content: `hi ${randomUUID()}` }], temperature: 0 };
    const first = await runLlmGenerate(setup.router, request);
    const second = await runLlmGenerate(setup.router, request);
    await setup.close();
    expect(first).toMatchObject({ text: 'tool answer', cached: false });
    expect(second.cached).toBe(true);
    expect(openai.requests).toHaveLength(1);
  });

  it('gives workers a router synchronously, for createLlmActivities', async () => {
    const setup = createLlmRouter({
      config: {
        ...testConfig({
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: `${openai.url}/v1`,
          LLM_DEFAULT_MODEL: 'gpt-4o-mini',
        }),
      },
    });
    const result = await setup.router.generate({ messages: [{ role: 'user', content: 'hi' }] });
    await setup.close();
    expect(result.text).toBe('tool answer');
  });
});
