import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlmRouter, LlmTool } from './tool';
import { testConfig } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import { openAiChat } from './testing/wire';

const openai = await startFakeServer(() => openAiChat({ content: 'tool answer' }));
afterAll(() => openai.close());

describe('LlmTool', () => {
  it('initializes its router (with the Redis cache) and runs actions', async () => {
    const tool = new LlmTool({
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
    expect(() => tool.router).toThrow(/not initialized/);
    const request = { messages: [{ role: 'user', content: `hi ${randomUUID()}` }], temperature: 0 };
    const first = (await tool.run('generate', request)) as { text: string; cached: boolean };
    const second = (await tool.run('generate', request)) as { cached: boolean };
    await tool.close();

    expect(first).toMatchObject({ text: 'tool answer', cached: false });
    expect(second.cached).toBe(true);
    await expect(tool.run('summon', {})).rejects.toThrow(/has no action "summon"/);
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
