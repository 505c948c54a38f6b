import { z } from 'zod';
import { parseEnvironment } from '../../core/parse-environment';
import { defaultModels, modelRefSchema, modelSpecSchema, parseModelRef, piiKinds } from './models';
import type { ModelSpec } from './models';
import { defaultPrices, priceSchema } from './workflow/pricing';
import { bool, nonNegativeInt, optionalString, positiveInt } from '../../core/config-fields';

/**
 * Settings of the LLM tool, in the same style as core/config.ts; config/index.ts merges the shape into the full list.
 * Every key's description is the message a user sees when the value is malformed.
 */
const optionalUrl = z.url().optional();

/** A JSON-valued variable, parsed then validated by `schema`. */
function json<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A comma-separated list; empty or "none" means no items. */
function list<T extends string>(item: z.ZodType<T, string>) {
  return z
    .string()
    .transform((text) =>
      text.trim() === 'none'
        ? []
        : text
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    )
    .pipe(z.array(item));
}

/** `"openai:gpt-4o"` is shorthand for `{ "provider": "openai", "model": "gpt-4o" }`. */
const modelEntry = z.union([
  modelSpecSchema,
  modelRefSchema.transform((ref, ctx) => {
    const parsed = parseModelRef(ref);
    if (parsed) return modelSpecSchema.parse(parsed);
    ctx.addIssue({ code: 'custom', message: `"${ref}" is not provider:model` });
    return z.NEVER;
  }),
]);

const modelTable = json(z.record(z.string().min(1), modelEntry))
  .optional()
  .transform((custom): Record<string, ModelSpec> => ({ ...defaultModels, ...custom }))
  .superRefine((table, ctx) => {
    // A fallback must name an alias or be provider:model, so a typo fails at start-up, not mid-outage.
    for (const [alias, spec] of Object.entries(table)) {
      for (const fallback of spec.fallbacks) {
        if (!(fallback in table) && !parseModelRef(fallback)) {
          ctx.addIssue({
            code: 'custom',
            message: `alias "${alias}" falls back to unknown model "${fallback}"`,
          });
        }
      }
    }
  });

export const llmConfigShape = {
  OPENAI_API_KEY: optionalString.describe(
    'an OpenAI API key (sk-...), needed by aliases on the openai provider',
  ),
  OPENAI_BASE_URL: z.url().default('https://api.openai.com/v1').describe('base URL of the OpenAI API'),
  ANTHROPIC_API_KEY: optionalString.describe(
    'an Anthropic API key (sk-ant-...), needed by aliases on the anthropic provider',
  ),
  ANTHROPIC_BASE_URL: z.url().default('https://api.anthropic.com').describe('base URL of the Anthropic API'),
  OPENAI_COMPATIBLE_BASE_URL: optionalUrl.describe(
    'base URL of an OpenAI-compatible server (Ollama, vLLM, LiteLLM), e.g. http://127.0.0.1:11434/v1',
  ),
  OPENAI_COMPATIBLE_API_KEY: optionalString.describe(
    'API key of the OpenAI-compatible server, if it wants one',
  ),
  MISTRAL_API_KEY: optionalString.describe('a Mistral API key, needed by aliases on the mistral provider'),
  MISTRAL_BASE_URL: z.url().default('https://api.mistral.ai/v1').describe('base URL of the Mistral API'),

  LLM_MODELS: modelTable.describe(
    'JSON mapping model aliases to {"provider":"openai|anthropic|openai-compatible|mistral","model":"...","fallbacks":["alias"]} or "provider:model"; merged over the defaults',
  ),
  LLM_DEFAULT_MODEL: z
    .string()
    .min(1)
    .default('smart')
    .describe('the model alias used when a call names none'),
  LLM_EMBEDDING_MODEL: z
    .string()
    .min(1)
    .default('embed')
    .describe('the model alias used for embeddings when a call names none'),
  LLM_EMBEDDING_BATCH_SIZE: positiveInt.default(96).describe('texts per embeddings request'),
  LLM_MAX_TOKENS: positiveInt.default(2048).describe('default maximum output tokens per call'),
  LLM_TIMEOUT_MS: positiveInt.default(60_000).describe('default timeout of one provider request, in ms'),
  LLM_MAX_RETRIES: nonNegativeInt
    .default(2)
    .describe('retries per model on 429, 5xx and timeouts before falling back'),
  LLM_RETRY_BASE_DELAY_MS: nonNegativeInt
    .default(500)
    .describe('first retry delay in ms (doubles each retry) when the provider sends no Retry-After'),
  LLM_RETRY_MAX_DELAY_MS: nonNegativeInt
    .default(30_000)
    .describe('longest wait before a retry, in ms; a longer Retry-After moves on to the fallback'),
  LLM_MAX_REPAIRS: nonNegativeInt
    .default(2)
    .describe('times invalid structured output is sent back to the model for repair'),
  LLM_PRICES: json(z.record(z.string().min(1), priceSchema))
    .optional()
    .transform((custom) => ({ ...defaultPrices, ...custom }))
    .describe(
      'JSON of model → {"input": USD per 1M tokens, "output": USD per 1M tokens}; merged over the defaults',
    ),

  LLM_CACHE_ENABLED: bool
    .default(true)
    .describe('true to answer identical temperature-0 requests from Redis'),
  LLM_CACHE_TTL_SECONDS: positiveInt.default(86_400).describe('how long cached answers live, in seconds'),
  LLM_CACHE_PREFIX: z
    .string()
    .default('pantheon:llm:')
    .describe('prefix of the Redis keys of cached answers'),

  LLM_PII_REDACT: list(z.enum(piiKinds))
    .default([...piiKinds])
    .describe(
      `comma-separated PII kinds redacted before text leaves for a provider (${piiKinds.join(', ')}), or none`,
    ),
  LLM_PII_RESTORE: list(z.enum(piiKinds))
    .default(['email', 'phone'])
    .describe('comma-separated PII kinds put back into answers in place of their placeholders, or none'),
  LLM_INJECTION_POLICY: z
    .enum(['flag', 'block'])
    .default('flag')
    .describe(
      'flag (report on the result) or block (fail the call) prompt-injection patterns in untrusted content',
    ),
  LLM_BLOCKED_TERMS: list(z.string().min(1))
    .default([])
    .describe('comma-separated terms an answer must not contain (case-insensitive)'),
  LLM_MAX_OUTPUT_CHARS: positiveInt.optional().describe('longest answer accepted, in characters'),

  LANGFUSE_PUBLIC_KEY: optionalString.describe(
    'Langfuse public key (pk-lf-...); tracing is off unless both keys are set',
  ),
  LANGFUSE_SECRET_KEY: optionalString.describe('Langfuse secret key (sk-lf-...)'),
  LANGFUSE_BASE_URL: z
    .url()
    .default('https://cloud.langfuse.com')
    .describe('base URL of the Langfuse server'),
  LANGFUSE_ENVIRONMENT: optionalString.describe('environment name shown on Langfuse traces, e.g. production'),
  LANGFUSE_EXPORT_MODE: z
    .enum(['batched', 'immediate'])
    .default('batched')
    .describe('batched (long-running workers) or immediate (one export per span)'),
} as const;

/** Half a Langfuse key pair would silently leave tracing off; core config applies this check too. */
export function requireBothLangfuseKeys(
  config: { LANGFUSE_PUBLIC_KEY?: string | undefined; LANGFUSE_SECRET_KEY?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (Boolean(config.LANGFUSE_PUBLIC_KEY) !== Boolean(config.LANGFUSE_SECRET_KEY)) {
    const missing = config.LANGFUSE_PUBLIC_KEY ? 'LANGFUSE_SECRET_KEY' : 'LANGFUSE_PUBLIC_KEY';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'set both Langfuse keys to trace, or neither' });
  }
}

export const llmConfigSchema = z.object(llmConfigShape).superRefine(requireBothLangfuseKeys);
export type LlmConfig = z.output<typeof llmConfigSchema>;
export type LlmConfigKey = keyof typeof llmConfigShape;

/** Parse the LLM settings. Throws one line naming the first bad variable and what it expects. */
export function loadLlmConfig(env: NodeJS.ProcessEnv = process.env): LlmConfig {
  return parseEnvironment(llmConfigShape, llmConfigSchema, env);
}
