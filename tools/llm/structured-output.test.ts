import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmOutputInvalidError } from './errors';
import { LlmRouter } from './router';
import { responseFormatFor } from './structured-output';
import { testConfig, testModels } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import type { FakeHandler, FakeServer } from './testing/fake-server';
import { anthropicMessage, openAiChat } from './testing/wire';

const openai = await startFakeServer(() => openAiChat());
const anthropic = await startFakeServer(() => anthropicMessage());
const compatible = await startFakeServer(() => openAiChat());
afterAll(() => Promise.all([openai.close(), anthropic.close(), compatible.close()]));

const router = new LlmRouter({
  config: testConfig({
    LLM_MODELS: testModels,
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${openai.url}/v1`,
    ANTHROPIC_API_KEY: 'test',
    ANTHROPIC_BASE_URL: anthropic.url,
    OPENAI_COMPATIBLE_BASE_URL: `${compatible.url}/v1`,
    LLM_MAX_REPAIRS: '2',
  }),
});

function serve(server: FakeServer, handler: FakeHandler) {
  server.handle(handler);
  server.requests.length = 0;
}
beforeEach(() => [openai, anthropic, compatible].forEach((s) => serve(s, () => openAiChat())));

const Invoice = z.object({
  vendor: z.string(),
  amount: z.number().positive(),
  currency: z.enum(['USD', 'EUR']),
});
const ask = { model: 'solo', messages: [{ role: 'user' as const, content: 'Extract the invoice' }] };
const valid = { vendor: 'Acme', amount: 120, currency: 'EUR' };

describe('structured output', () => {
  it('uses OpenAI response_format json_schema, strict, and returns typed data', async () => {
    serve(openai, () => openAiChat({ content: JSON.stringify(valid) }));
    const result = await router.generateStructured(ask, Invoice, { name: 'invoice' });

    expect(result.data).toEqual(valid);
    expect(result.rounds).toBe(1);
    const body = openai.requests[0]!.body as {
      response_format: { type: string; json_schema: Record<string, unknown> };
    };
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema).toMatchObject({
      name: 'invoice',
      strict: true,
      schema: { type: 'object', required: ['vendor', 'amount', 'currency'], additionalProperties: false },
    });
  });

  it('repairs an invalid answer: the problems go back to the model, the 2nd answer wins', async () => {
    serve(openai, (_request, index) =>
      index === 0
        ? openAiChat({
            content: JSON.stringify({ vendor: 'Acme', amount: -5, currency: 'EUR' }),
            promptTokens: 100,
            completionTokens: 10,
          })
        : openAiChat({ content: JSON.stringify(valid), promptTokens: 150, completionTokens: 10 }),
    );
    const result = await router.generateStructured(ask, Invoice, { name: 'invoice' });

    expect(result.data).toEqual(valid);
    expect(result.rounds).toBe(2);
    expect(result.usage.totalTokens).toBe(270);
    const second = openai.requests[1]!.body as { messages: { role: string; content: string }[] };
    expect(second.messages.at(-2)).toMatchObject({
      role: 'assistant',
      content: expect.stringContaining('-5'),
    });
    expect(second.messages.at(-1)!.role).toBe('user');
    expect(second.messages.at(-1)!.content).toMatch(/amount: Too small/);
  });

  it('reports JSON that does not parse as a problem to repair', async () => {
    serve(openai, (_request, index) =>
      openAiChat({ content: index === 0 ? '{"vendor": "Acme",' : JSON.stringify(valid) }),
    );
    const result = await router.generateStructured(ask, Invoice);
    expect(result.rounds).toBe(2);
    const second = openai.requests[1]!.body as { messages: { content: string }[] };
    expect(second.messages.at(-1)!.content).toMatch(/not valid JSON/);
  });

  it('gives up after the repair cap with a typed error', async () => {
    serve(openai, () => openAiChat({ content: JSON.stringify({ vendor: 'Acme' }) }));
    const error = await router.generateStructured(ask, Invoice, { name: 'invoice' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmOutputInvalidError);
    expect(error).toMatchObject({ code: 'LlmOutputInvalid', rounds: 3 });
    expect((error as LlmOutputInvalidError).problems.join(' ')).toMatch(/amount/);
    // One answer and LLM_MAX_REPAIRS=2 repairs, then no more.
    expect(openai.requests).toHaveLength(3);
  });

  it('respects a per-call repair cap of 0', async () => {
    serve(openai, () => openAiChat({ content: '{}' }));
    await expect(router.generateStructured(ask, Invoice, { maxRepairs: 0 })).rejects.toBeInstanceOf(
      LlmOutputInvalidError,
    );
    expect(openai.requests).toHaveLength(1);
  });

  it('uses a forced tool on Anthropic and reads the tool_use input', async () => {
    serve(anthropic, () => anthropicMessage({ toolUse: [{ id: 'toolu_1', name: 'invoice', input: valid }] }));
    const result = await router.generateStructured({ ...ask, model: 'claude' }, Invoice, { name: 'invoice' });

    expect(result.data).toEqual(valid);
    expect(anthropic.requests[0]!.body).toMatchObject({
      tool_choice: { type: 'tool', name: 'invoice' },
      tools: [
        { name: 'invoice', input_schema: { type: 'object', required: ['vendor', 'amount', 'currency'] } },
      ],
    });
  });

  it('repairs on Anthropic too', async () => {
    serve(anthropic, (_request, index) =>
      anthropicMessage({
        toolUse: [{ id: `toolu_${index}`, name: 'invoice', input: index === 0 ? { vendor: 'Acme' } : valid }],
      }),
    );
    const result = await router.generateStructured({ ...ask, model: 'claude' }, Invoice, { name: 'invoice' });
    expect(result.rounds).toBe(2);
    const second = anthropic.requests[1]!.body as { messages: { role: string }[] };
    expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('uses a forced function call for servers configured with structuredOutput "tool"', async () => {
    serve(compatible, () =>
      openAiChat({
        content: null,
        toolCalls: [{ id: 'c1', name: 'invoice', arguments: JSON.stringify(valid) }],
      }),
    );
    const result = await router.generateStructured({ ...ask, model: 'local' }, Invoice, { name: 'invoice' });
    expect(result.data).toEqual(valid);
    expect(result.toolCalls).toEqual([]);
    const body = compatible.requests[0]!.body as Record<string, unknown>;
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'invoice' } });
    expect(body.response_format).toBeUndefined();
  });

  it('wraps a non-object schema as { value } and unwraps the answer', async () => {
    serve(openai, () => openAiChat({ content: JSON.stringify({ value: ['a', 'b'] }) }));
    const result = await router.generateStructured(ask, z.array(z.string()), { name: 'tags' });
    expect(result.data).toEqual(['a', 'b']);
    const body = openai.requests[0]!.body as {
      response_format: { json_schema: { schema: { properties: Record<string, unknown> } } };
    };
    expect(body.response_format.json_schema.schema.properties.value).toMatchObject({ type: 'array' });
  });

  it('turns strict off for schemas with optional fields (OpenAI strict needs every field required)', () => {
    const loose = z.toJSONSchema(z.object({ a: z.string(), b: z.string().optional() }));
    expect(responseFormatFor(loose, 'x').format.strict).toBe(false);
    expect(responseFormatFor(z.toJSONSchema(Invoice), 'x').format.strict).toBe(true);
  });
});
