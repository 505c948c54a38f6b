import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { taskQueueFor } from '../core/config';
import { configShape, loadConfig } from '.';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({});
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.WORKER_HEAVY_CONCURRENCY).toBe(2);
    expect(taskQueueFor(config, 'llm')).toBe('pantheon-llm');
  });

  it('coerces numbers and booleans', () => {
    const config = loadConfig({ WORKER_LLM_CONCURRENCY: '3', LOG_PRETTY: 'false' });
    expect(config.WORKER_LLM_CONCURRENCY).toBe(3);
    expect(config.LOG_PRETTY).toBe(false);
  });

  it('names the bad variable and what it expects, in one line', () => {
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'nohost' })).toThrow(
      'TEMPORAL_ADDRESS must be the Temporal frontend as host:port (got "nohost")',
    );
    expect(() => loadConfig({ WORKER_LLM_CONCURRENCY: 'many' })).toThrow(
      /^WORKER_LLM_CONCURRENCY must be max concurrent activities on the llm tier \(got "many"\)$/,
    );
  });

  it('.env.example lists every setting', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const listed = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(Object.keys(configShape).filter((key) => !listed.has(key))).toEqual([]);
  });
});
