import type { LlmConfig } from '../config';
import type { ProviderName } from '../models';
import { AnthropicProvider } from './anthropic';
import { OpenAiProvider } from './openai';
import type { LlmProvider } from './provider';

export type Providers = Partial<Record<ProviderName, LlmProvider>>;

/** A client for each provider whose key (or, for local servers, base URL) is configured. */
export function createProviders(config: LlmConfig): Providers {
  const providers: Providers = {};
  if (config.OPENAI_API_KEY) {
    providers.openai = new OpenAiProvider({
      name: 'openai',
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
    });
  }
  if (config.ANTHROPIC_API_KEY) {
    providers.anthropic = new AnthropicProvider({
      apiKey: config.ANTHROPIC_API_KEY,
      baseURL: config.ANTHROPIC_BASE_URL,
    });
  }
  if (config.OPENAI_COMPATIBLE_BASE_URL) {
    providers['openai-compatible'] = new OpenAiProvider({
      name: 'openai-compatible',
      baseURL: config.OPENAI_COMPATIBLE_BASE_URL,
      apiKey: config.OPENAI_COMPATIBLE_API_KEY,
    });
  }
  if (config.MISTRAL_API_KEY) {
    providers.mistral = new OpenAiProvider({
      name: 'mistral',
      apiKey: config.MISTRAL_API_KEY,
      baseURL: config.MISTRAL_BASE_URL,
    });
  }
  return providers;
}
