import { loadLlmConfig } from '../config';
import type { LlmConfig } from '../config';

/** LLM settings for tests: cache off, fast retries, no tracing; `env` overrides. */
export function testConfig(env: Record<string, string | undefined> = {}): LlmConfig {
  return loadLlmConfig({
    LLM_CACHE_ENABLED: 'false',
    LLM_MAX_RETRIES: '1',
    LLM_RETRY_BASE_DELAY_MS: '1',
    LLM_RETRY_MAX_DELAY_MS: '5000',
    ...env,
  });
}

/** Aliases pointing at the fake servers' models. */
export const testModels = JSON.stringify({
  fast: { provider: 'openai', model: 'gpt-4o-mini', fallbacks: ['claude'] },
  solo: { provider: 'openai', model: 'gpt-4o-mini', fallbacks: [] },
  claude: { provider: 'anthropic', model: 'claude-sonnet-5-5' },
  local: { provider: 'openai-compatible', model: 'llama3.1:8b', structuredOutput: 'tool' },
});
