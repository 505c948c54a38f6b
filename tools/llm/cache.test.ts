import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, RedisLlmCache } from './cache';
import type { LlmCache } from './cache';
import { LlmRouter } from './router';
import { testConfig } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import { openAiChat } from './testing/wire';

const redis = new Redis('redis://127.0.0.1:6379');
const prefix = `pantheon-test:llm:${randomUUID()}:`;
const openai = await startFakeServer((request) => {
  const { messages } = request.body as { messages: { content: string }[] };
  return openAiChat({
    content: `answer to ${messages.at(-1)!.content}`,
    promptTokens: 100,
    completionTokens: 20,
  });
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await openai.close();
});
beforeEach(() => {
  openai.requests.length = 0;
});

function router(
  cache: LlmCache = new RedisLlmCache(redis, { prefix, ttlSeconds: 60 }),
  env: Record<string, string> = {},
) {
  return new LlmRouter({
    config: testConfig({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      LLM_DEFAULT_MODEL: 'gpt-4o-mini',
      LLM_CACHE_ENABLED: 'true',
      ...env,
    }),
    cache,
  });
}

const question = (content: string) => ({ temperature: 0, messages: [{ role: 'user' as const, content }] });

describe('response cache (real Redis)', () => {
  it('answers an identical temperature-0 request from Redis: no second request, cached, cost 0', async () => {
    const llm = router();
    const text = `capital of France? ${randomUUID()}`;
    const first = await llm.generate(question(text));
    const second = await llm.generate(question(text));

    expect(openai.requests).toHaveLength(1);
    expect(first).toMatchObject({ cached: false });
    expect(first.costUsd).toBeGreaterThan(0);
    expect(second).toMatchObject({
      cached: true,
      costUsd: 0,
      text: first.text,
      model: first.model,
      providerModel: first.providerModel,
    });
    expect(second.usage.totalTokens).toBe(0);
  });

  it('expires entries after the TTL', async () => {
    const llm = router();
    const request = question(`ttl ${randomUUID()}`);
    await llm.generate(request);
    const keys = await redis.keys(`${prefix}*`);
    const ttls = await Promise.all(keys.map((key) => redis.ttl(key)));
    expect(ttls.every((ttl) => ttl > 0 && ttl <= 60)).toBe(true);
  });

  it('does not cache non-zero temperatures, bypassed calls, or when disabled', async () => {
    const text = `creative ${randomUUID()}`;
    await router().generate({ ...question(text), temperature: 0.7 });
    await router().generate({ ...question(text), temperature: 0.7 });
    expect(openai.requests).toHaveLength(2);

    const bypass = { ...question(`bypass ${randomUUID()}`), bypassCache: true };
    await router().generate(bypass);
    const again = await router().generate(bypass);
    expect(again.cached).toBe(false);
    expect(openai.requests).toHaveLength(4);

    const off = question(`off ${randomUUID()}`);
    await router(undefined, { LLM_CACHE_ENABLED: 'false' }).generate(off);
    await router(undefined, { LLM_CACHE_ENABLED: 'false' }).generate(off);
    expect(openai.requests).toHaveLength(6);
  });

  it('stores redacted text only, and serves the answer for the current request PII', async () => {
    const tag = randomUUID();
    const first = await router().generate(question(`write to ana@example.com ${tag}`));
    const second = await router().generate(question(`write to bob@example.org ${tag}`));

    // Same shape after redaction: one provider call, and each answer has its own address back.
    expect(openai.requests).toHaveLength(1);
    expect(first.text).toBe(`answer to write to ana@example.com ${tag}`);
    expect(second).toMatchObject({ cached: true, text: `answer to write to bob@example.org ${tag}` });
    const stored = await Promise.all((await redis.keys(`${prefix}*`)).map((key) => redis.get(key)));
    expect(stored.join('\n')).not.toContain('@example.');
  });

  it('keeps working, uncached, when the cache fails', async () => {
    const broken: LlmCache = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
    };
    const result = await router(broken).generate(question(`broken ${randomUUID()}`));
    expect(result.cached).toBe(false);
  });

  it('keys ignore property order', () => {
    expect(cacheKey({ a: 1, b: { c: 2, d: 3 } })).toBe(cacheKey({ b: { d: 3, c: 2 }, a: 1 }));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: 2 }));
  });
});
