import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { PromptChain } from './chain';
import { GenericPrompt } from './prompt';
import { LlmRouter } from './router';
import { testConfig } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import { openAiChat } from './testing/wire';

const openai = await startFakeServer(() => openAiChat());
afterAll(() => openai.close());
beforeEach(() => {
  openai.requests.length = 0;
});
const router = new LlmRouter({
  config: testConfig({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${openai.url}/v1`,
    LLM_DEFAULT_MODEL: 'gpt-4o-mini',
  }),
});

const system = GenericPrompt.inline('You triage {{TEAM}} tickets.', { role: 'system' });
const user = GenericPrompt.inline('Ticket: {{TICKET}}', { untrusted: ['TICKET'] });
const Triage = z.object({ priority: z.enum(['low', 'high']), reason: z.string() });

describe('PromptChain', () => {
  it('composes prompts into one conversation, each with the variables it uses', () => {
    const log = { warn: vi.fn() };
    const chain = new PromptChain({ name: 'triage', prompts: [system, user], logger: log });
    expect(chain.messages({ TEAM: 'IT', TICKET: 'printer' })).toEqual([
      { role: 'system', content: 'You triage IT tickets.' },
      { role: 'user', content: 'Ticket: printer', untrusted: true },
    ]);
    expect(log.warn).not.toHaveBeenCalled();
    chain.messages({ TEAM: 'IT', TICKET: 'x', EXTRA: 1 });
    expect(log.warn).toHaveBeenCalledWith({ chain: 'triage', unused: ['EXTRA'] }, expect.any(String));
    expect(() => chain.messages({ TEAM: 'IT' })).toThrow(/needs variable TICKET/);
  });

  it('runs with a zod response model: structured output and parsed data', async () => {
    openai.handle(() => openAiChat({ content: JSON.stringify({ priority: 'high', reason: 'outage' }) }));
    const chain = new PromptChain({ name: 'ticket triage', prompts: [system], request: { temperature: 0 } })
      .then(user)
      .returning(Triage);
    const { data, result } = await chain.run(router, { TEAM: 'IT', TICKET: 'all printers down' });

    expect(data).toEqual({ priority: 'high', reason: 'outage' });
    expect(result.cached).toBe(false);
    expect(openai.requests[0]!.body).toMatchObject({
      temperature: 0,
      response_format: { type: 'json_schema', json_schema: { name: 'ticket_triage' } },
      messages: [{ role: 'system' }, { role: 'user', content: 'Ticket: all printers down' }],
    });
  });

  it('returns text without a response model', async () => {
    openai.handle(() => openAiChat({ content: 'Low priority.' }));
    const { data } = await new PromptChain({ name: 'plain', prompts: [system, user] }).run(router, {
      TEAM: 'HR',
      TICKET: 'x',
    });
    expect(data).toBe('Low priority.');
  });
});
