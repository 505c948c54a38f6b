import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PantheonError } from '../../core/errors';
import { LlmUnavailableError } from './errors';
import { LlmRouter } from './router';
import { testConfig, testModels } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import type { FakeHandler } from './testing/fake-server';
import { anthropicError, anthropicMessage, openAiChat, openAiError } from './testing/wire';

const openai = await startFakeServer(() => openAiChat());
const anthropic = await startFakeServer(() => anthropicMessage({ text: 'from claude' }));
const compatible = await startFakeServer(() => openAiChat({ content: 'from llama', model: 'llama3.1:8b' }));
afterAll(() => Promise.all([openai.close(), anthropic.close(), compatible.close()]));

const env = {
  LLM_MODELS: testModels,
  OPENAI_API_KEY: 'sk-test-openai',
  OPENAI_BASE_URL: `${openai.url}/v1`,
  ANTHROPIC_API_KEY: 'test-anthropic',
  ANTHROPIC_BASE_URL: anthropic.url,
  OPENAI_COMPATIBLE_BASE_URL: `${compatible.url}/v1`,
};

function router(overrides: Record<string, string | undefined> = {}) {
  return new LlmRouter({ config: testConfig({ ...env, ...overrides }) });
}

function serve(server: typeof openai, handler: FakeHandler) {
  server.handle(handler);
  server.requests.length = 0;
}

beforeEach(() => {
  serve(openai, () => openAiChat());
  serve(anthropic, () => anthropicMessage({ text: 'from claude' }));
  serve(compatible, () => openAiChat({ content: 'from llama', model: 'llama3.1:8b' }));
});

const hello = [{ role: 'user' as const, content: 'hello' }];

describe('routing by alias', () => {
  it('sends an OpenAI alias to OpenAI with the mapped model and per-call settings', async () => {
    serve(openai, () => openAiChat({ content: 'hi there', promptTokens: 1000, completionTokens: 500 }));
    const result = await router().generate({
      model: 'fast',
      messages: hello,
      temperature: 0.2,
      maxTokens: 77,
    });

    expect(result).toMatchObject({ text: 'hi there', model: 'fast', provider: 'openai', cached: false });
    expect(result.usage).toEqual({ inputTokens: 1000, outputTokens: 500, totalTokens: 1500 });
    // gpt-4o-mini: $0.15 in, $0.60 out per million tokens.
    expect(result.costUsd).toBeCloseTo(0.00045, 10);
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]!.headers.authorization).toBe('Bearer sk-test-openai');
    expect(openai.requests[0]!.body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      max_completion_tokens: 77,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(anthropic.requests).toHaveLength(0);
  });

  it('sends an Anthropic alias to the Messages API, system prompt apart', async () => {
    const result = await router().generate({
      model: 'claude',
      messages: [{ role: 'system', content: 'Be brief.' }, ...hello],
    });
    expect(result).toMatchObject({
      text: 'from claude',
      provider: 'anthropic',
      providerModel: 'claude-sonnet-5-5',
    });
    expect(anthropic.requests[0]!.path).toBe('/v1/messages');
    expect(anthropic.requests[0]!.body).toMatchObject({
      model: 'claude-sonnet-5-5',
      system: 'Be brief.',
      max_tokens: 2048,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
    });
    expect(openai.requests).toHaveLength(0);
  });

  it('reaches an OpenAI-compatible server, with max_tokens, and provider:model without an alias', async () => {
    const local = await router().generate({ model: 'local', messages: hello });
    expect(local).toMatchObject({ text: 'from llama', provider: 'openai-compatible' });
    expect(compatible.requests[0]!.body).toMatchObject({ model: 'llama3.1:8b', max_tokens: 2048 });

    const direct = await router().generate({ model: 'openai:gpt-4.1-nano', messages: hello });
    expect(direct.provider).toBe('openai');
    expect(openai.requests[0]!.body).toMatchObject({ model: 'gpt-4.1-nano' });
  });

  it('uses LLM_DEFAULT_MODEL when the call names no model', async () => {
    await router({ LLM_DEFAULT_MODEL: 'claude' }).generate({ messages: hello });
    expect(anthropic.requests).toHaveLength(1);
  });

  it('rejects an unknown alias with close matches', async () => {
    await expect(router().generate({ model: 'fats', messages: hello })).rejects.toThrow(
      /Unknown model "fats". Did you mean fast/,
    );
  });

  it('names the variable to set when the alias provider has no key, and calls nothing', async () => {
    const call = router({ ANTHROPIC_API_KEY: undefined }).generate({ model: 'claude', messages: hello });
    await expect(call).rejects.toMatchObject({
      code: 'ConfigInvalid',
      message: expect.stringContaining('set ANTHROPIC_API_KEY'),
    });
    const local = router({ OPENAI_COMPATIBLE_BASE_URL: undefined }).generate({
      model: 'local',
      messages: hello,
    });
    await expect(local).rejects.toThrow(/set OPENAI_COMPATIBLE_BASE_URL/);
    expect(anthropic.requests).toHaveLength(0);
  });

  it('names every provider variable when no provider is configured at all', async () => {
    const none = router({
      OPENAI_API_KEY: undefined,
      ANTHROPIC_API_KEY: undefined,
      OPENAI_COMPATIBLE_BASE_URL: undefined,
    });
    await expect(none.generate({ messages: hello })).rejects.toMatchObject({
      code: 'ConfigInvalid',
      message: expect.stringContaining(
        'No LLM provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or OPENAI_COMPATIBLE_BASE_URL',
      ),
    });
  });
});

describe('tool calls', () => {
  it('maps tools and tool calls to and from OpenAI', async () => {
    serve(openai, () =>
      openAiChat({ content: null, toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }] }),
    );
    const result = await router().generate({
      model: 'solo',
      messages: hello,
      tools: [
        {
          name: 'lookup',
          description: 'Look up',
          parameters: { type: 'object', properties: { q: { type: 'string' } } },
        },
      ],
      toolChoice: 'required',
    });
    expect(result.toolCalls).toEqual([{ id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }]);
    expect(result.finishReason).toBe('tool_calls');
    expect(openai.requests[0]!.body).toMatchObject({
      tool_choice: 'required',
      tools: [{ type: 'function', function: { name: 'lookup', description: 'Look up' } }],
    });
  });

  it('maps tool calls and results to Anthropic tool_use / tool_result blocks', async () => {
    serve(anthropic, () =>
      anthropicMessage({ toolUse: [{ id: 'toolu_2', name: 'lookup', input: { q: 'y' } }] }),
    );
    const result = await router().generate({
      model: 'claude',
      messages: [
        ...hello,
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: '{"q":"x"}' }],
        },
        { role: 'tool', toolCallId: 'toolu_1', content: 'found x' },
      ],
      tools: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
      toolChoice: { name: 'lookup' },
    });
    expect(result.toolCalls).toEqual([{ id: 'toolu_2', name: 'lookup', arguments: '{"q":"y"}' }]);
    expect(anthropic.requests[0]!.body).toMatchObject({
      tool_choice: { type: 'tool', name: 'lookup' },
      messages: [
        { role: 'user' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'found x' }] },
      ],
    });
  });
});

describe('fallbacks and retries', () => {
  it('falls back to the next provider when the first keeps failing with 5xx', async () => {
    serve(openai, () => openAiError(500, 'upstream exploded'));
    const result = await router().generate({ model: 'fast', messages: hello });

    expect(result).toMatchObject({ text: 'from claude', model: 'claude', provider: 'anthropic' });
    // LLM_MAX_RETRIES=1: the first try and one retry, and the SDK itself never retried.
    expect(openai.requests).toHaveLength(2);
    expect(openai.requests.every((r) => r.headers['x-stainless-retry-count'] === '0')).toBe(true);
    expect(result.attempts.map((a) => [a.provider, a.ok, a.failure, a.status])).toEqual([
      ['openai', false, 'server', 500],
      ['openai', false, 'server', 500],
      ['anthropic', true, undefined, undefined],
    ]);
  });

  it('falls back at once, without retrying, on a context-length error', async () => {
    serve(openai, () =>
      openAiError(400, "This model's maximum context length is 128000 tokens", {
        code: 'context_length_exceeded',
        type: 'invalid_request_error',
      }),
    );
    const result = await router().generate({ model: 'fast', messages: hello });
    expect(result.provider).toBe('anthropic');
    expect(openai.requests).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ failure: 'context_length', status: 400 });
  });

  it('retries after the Retry-After the provider asked for', async () => {
    serve(openai, (_request, index) =>
      index === 0
        ? openAiError(429, 'slow down', { headers: { 'retry-after': '1' } })
        : openAiChat({ content: 'second time lucky' }),
    );
    const result = await router({ LLM_RETRY_BASE_DELAY_MS: '1' }).generate({
      model: 'solo',
      messages: hello,
    });

    expect(result.text).toBe('second time lucky');
    expect(openai.requests).toHaveLength(2);
    const waited = openai.requests[1]!.at - openai.requests[0]!.at;
    // Our own backoff would have been ~1 ms: the wait is the provider's 1 s.
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(result.attempts[0]).toMatchObject({ failure: 'rate_limit', status: 429, retryAfterMs: 1000 });
  });

  it('does not sit out a Retry-After longer than LLM_RETRY_MAX_DELAY_MS: it falls back now', async () => {
    serve(openai, () => openAiError(429, 'quota', { headers: { 'retry-after': '120' } }));
    const started = performance.now();
    const result = await router().generate({ model: 'fast', messages: hello });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.provider).toBe('anthropic');
    expect(openai.requests).toHaveLength(1);
  });

  it('treats a request timeout as retryable, then falls back', async () => {
    serve(openai, () => ({ ...openAiChat(), delayMs: 400 }));
    const result = await router().generate({ model: 'fast', messages: hello, timeoutMs: 100 });
    expect(result.provider).toBe('anthropic');
    expect(result.attempts.slice(0, 2).map((a) => a.failure)).toEqual(['timeout', 'timeout']);
  });

  it('fails with a typed error naming every provider/model tried and why', async () => {
    serve(openai, () => openAiError(429, 'rate limited', { headers: { 'retry-after-ms': '5' } }));
    serve(anthropic, () => anthropicError(529, 'overloaded_error', 'Overloaded'));
    const error: unknown = await router()
      .generate({ model: 'fast', messages: hello })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmUnavailableError);
    const unavailable = error as LlmUnavailableError;
    expect(unavailable.code).toBe('LlmUnavailable');
    expect(unavailable.name).toBe('LlmUnavailable');
    expect(unavailable.message).toMatch(/openai\/gpt-4o-mini → 429 rate_limit ×2/);
    expect(unavailable.message).toMatch(/anthropic\/claude-sonnet-5-5 → 529 server ×2/);
    expect(unavailable.attempts).toHaveLength(4);
  });

  it('lists an unconfigured fallback with the variable it needs', async () => {
    serve(openai, () => openAiError(503, 'down'));
    const error = (await router({ ANTHROPIC_API_KEY: undefined })
      .generate({ model: 'fast', messages: hello })
      .catch((e: unknown) => e)) as LlmUnavailableError;
    expect(error.message).toMatch(
      /anthropic\/claude-sonnet-5-5 → not_configured \(not configured: set ANTHROPIC_API_KEY\)/,
    );
  });

  it('stops at a bad key, naming the variable, without trying fallbacks', async () => {
    serve(openai, () => openAiError(401, 'Incorrect API key provided', { type: 'invalid_request_error' }));
    await expect(router().generate({ model: 'fast', messages: hello })).rejects.toMatchObject({
      code: 'ConfigInvalid',
      message: expect.stringMatching(/rejected the credentials \(401\): check OPENAI_API_KEY/),
    });
    expect(anthropic.requests).toHaveLength(0);
  });

  it('returns a bad request as InvalidInput, without retries or fallbacks', async () => {
    serve(openai, () =>
      openAiError(400, "Invalid value for 'temperature'", { type: 'invalid_request_error' }),
    );
    const error = await router()
      .generate({ model: 'fast', messages: hello })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PantheonError);
    expect(error).toMatchObject({ code: 'InvalidInput' });
    expect(openai.requests).toHaveLength(1);
    expect(anthropic.requests).toHaveLength(0);
  });

  it('per-call fallbacks replace the alias list', async () => {
    serve(openai, () => openAiError(500, 'down'));
    await expect(router().generate({ model: 'fast', messages: hello, fallbacks: [] })).rejects.toBeInstanceOf(
      LlmUnavailableError,
    );
    expect(anthropic.requests).toHaveLength(0);
  });

  it('cancels the request and the retry wait when the signal aborts', async () => {
    serve(openai, () => openAiError(429, 'wait', { headers: { 'retry-after': '3' } }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 100);
    const started = performance.now();
    await expect(
      router().generate({ model: 'solo', messages: hello }, { signal: controller.signal }),
    ).rejects.toThrow('cancelled');
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
