import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { llmConfigShape, loadLlmConfig } from './config';

describe('LLM config', () => {
  it('has defaults for everything, and every key describes itself', () => {
    const config = loadLlmConfig({});
    expect(config.LLM_DEFAULT_MODEL).toBe('smart');
    expect(config.LLM_MODELS.smart).toMatchObject({ provider: 'openai', fallbacks: ['claude-sonnet'] });
    expect(config.LLM_MODELS['claude-sonnet']!.provider).toBe('anthropic');
    expect(config.LLM_PRICES['gpt-4o']).toEqual({ input: 2.5, output: 10 });
    expect(config.LLM_PII_REDACT).toEqual(['email', 'phone', 'card', 'secret']);
    expect(config.LLM_CACHE_ENABLED).toBe(true);
    for (const [key, schema] of Object.entries(llmConfigShape)) expect(schema.description, key).toBeTruthy();
    // Mergeable into core's config object.
    expect(() => z.object({ ...llmConfigShape }).parse({})).not.toThrow();
  });

  it('merges LLM_MODELS over the defaults, with the provider:model shorthand', () => {
    const config = loadLlmConfig({
      LLM_MODELS: JSON.stringify({
        fast: 'openai-compatible:qwen2.5:7b',
        writer: { provider: 'anthropic', model: 'claude-opus-5-5', fallbacks: ['fast'] },
      }),
    });
    expect(config.LLM_MODELS.fast).toEqual({
      provider: 'openai-compatible',
      model: 'qwen2.5:7b',
      fallbacks: [],
      structuredOutput: 'json_schema',
    });
    expect(config.LLM_MODELS.writer!.fallbacks).toEqual(['fast']);
    expect(config.LLM_MODELS.smart).toBeDefined();
  });

  it('names the variable and the problem for bad values', () => {
    expect(() => loadLlmConfig({ LLM_MODELS: '{nope' })).toThrow(
      /^LLM_MODELS must be JSON mapping .* — not valid JSON/,
    );
    expect(() =>
      loadLlmConfig({
        LLM_MODELS: JSON.stringify({ x: { provider: 'openai', model: 'm', fallbacks: ['ghost'] } }),
      }),
    ).toThrow(/alias "x" falls back to unknown model "ghost"/);
    expect(() => loadLlmConfig({ LLM_MODELS: JSON.stringify({ x: 'acme:model' }) })).toThrow(/LLM_MODELS/);
    expect(() => loadLlmConfig({ LLM_MAX_RETRIES: '-1' })).toThrow(
      /^LLM_MAX_RETRIES must be retries per model/,
    );
    expect(() => loadLlmConfig({ LLM_PII_REDACT: 'email,ssn' })).toThrow(/^LLM_PII_REDACT/);
  });

  it('wants both Langfuse keys or neither', () => {
    expect(() => loadLlmConfig({ LANGFUSE_PUBLIC_KEY: 'pk' })).toThrow(
      /^LANGFUSE_SECRET_KEY .*set both Langfuse keys/,
    );
    expect(loadLlmConfig({ LANGFUSE_PUBLIC_KEY: 'pk', LANGFUSE_SECRET_KEY: 'sk' }).LANGFUSE_BASE_URL).toBe(
      'https://cloud.langfuse.com',
    );
  });

  it('parses lists and prices', () => {
    const config = loadLlmConfig({
      LLM_PII_REDACT: 'none',
      LLM_BLOCKED_TERMS: 'foo, bar baz',
      LLM_PRICES: '{"my-model":{"input":1}}',
    });
    expect(config.LLM_PII_REDACT).toEqual([]);
    expect(config.LLM_BLOCKED_TERMS).toEqual(['foo', 'bar baz']);
    expect(config.LLM_PRICES['my-model']).toEqual({ input: 1, output: 0 });
  });
});
