import { z } from 'zod';

/**
 * Schemas of the LLM tool: requests, results and model specs. Workflow-safe (zod only), so
 * workflows build requests and read results with the same types the activities use.
 */

export const providerNames = ['openai', 'anthropic', 'openai-compatible', 'mistral'] as const;
export const providerNameSchema = z.enum(providerNames);
export type ProviderName = z.infer<typeof providerNameSchema>;

export const piiKinds = ['email', 'phone', 'card', 'secret'] as const;
export const piiKindSchema = z.enum(piiKinds);
export type PiiKind = z.infer<typeof piiKindSchema>;

/** An alias from LLM_MODELS, or `provider:model` for a model without an alias. */
export const modelRefSchema = z.string().min(1);

export const modelSpecSchema = z.object({
  provider: providerNameSchema,
  /** The provider's model id, e.g. gpt-4o-mini or claude-sonnet-4-5. */
  model: z.string().min(1),
  /** Tried in order when this model is rate-limited, down, too slow or out of context. */
  fallbacks: z.array(modelRefSchema).default([]),
  /** How OpenAI-style providers produce structured output; `tool` suits servers without json_schema. */
  structuredOutput: z.enum(['json_schema', 'tool']).default('json_schema'),
});
export type ModelSpec = z.output<typeof modelSpecSchema>;

const spec = (provider: ProviderName, model: string, fallbacks: string[] = []): ModelSpec => ({
  provider,
  model,
  fallbacks,
  structuredOutput: 'json_schema',
});

/** Aliases available without configuration; LLM_MODELS entries override or add to these. */
export const defaultModels: Readonly<Record<string, ModelSpec>> = {
  // gpt-4.1 rather than the gpt-5 reasoning family: it takes temperature 0 (and so the cache).
  fast: spec('openai', 'gpt-4.1-mini', ['claude-haiku']),
  smart: spec('openai', 'gpt-4.1', ['claude-sonnet']),
  'gpt-4o': spec('openai', 'gpt-4o'),
  'gpt-4o-mini': spec('openai', 'gpt-4o-mini'),
  'gpt-4.1': spec('openai', 'gpt-4.1'),
  'gpt-4.1-mini': spec('openai', 'gpt-4.1-mini'),
  'gpt-5.4': spec('openai', 'gpt-5.4'),
  'gpt-5.4-mini': spec('openai', 'gpt-5.4-mini'),
  'claude-sonnet': spec('anthropic', 'claude-sonnet-5-5'),
  'claude-haiku': spec('anthropic', 'claude-haiku-4-5'),
  'claude-opus': spec('anthropic', 'claude-opus-5-5'),
  local: spec('openai-compatible', 'llama3.1'),
  embed: spec('openai', 'text-embedding-3-small'),
  'embed-large': spec('openai', 'text-embedding-3-large'),
  'mistral-embed': spec('mistral', 'mistral-embed'),
};

/** `openai-compatible:llama3.1:8b` → provider and model (the model may itself contain colons). */
export function parseModelRef(ref: string): { provider: ProviderName; model: string } | undefined {
  const colon = ref.indexOf(':');
  if (colon <= 0) return undefined;
  const provider = providerNameSchema.safeParse(ref.slice(0, colon));
  const model = ref.slice(colon + 1);
  return provider.success && model ? { provider: provider.data, model } : undefined;
}

export const toolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** JSON text of the arguments, as the model wrote it. */
  arguments: z.string(),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const toolDefinitionSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64'),
  description: z.string().default(''),
  /** JSON Schema of the arguments (an object schema). */
  parameters: z.record(z.string(), z.unknown()),
});
export type ToolDefinition = z.output<typeof toolDefinitionSchema>;

export const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ name: z.string() }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

/** Content from outside (emails, web pages, tool results) is scanned for prompt injection. */
const untrusted = z.boolean().optional();

export const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string(), untrusted }),
  z.object({ role: z.literal('user'), content: z.string(), untrusted }),
  z.object({
    role: z.literal('assistant'),
    content: z.string().default(''),
    toolCalls: z.array(toolCallSchema).optional(),
    untrusted,
  }),
  z.object({ role: z.literal('tool'), toolCallId: z.string(), content: z.string(), untrusted }),
]);
export type LlmMessage = z.output<typeof messageSchema>;
export type LlmMessageInput = z.input<typeof messageSchema>;

/** Structured output: the JSON Schema the answer must follow (object at the root). */
export const responseFormatSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string().optional(),
  schema: z.record(z.string(), z.unknown()),
  /** OpenAI strict mode; only for schemas whose every property is required. */
  strict: z.boolean().default(true),
});
export type ResponseFormat = z.output<typeof responseFormatSchema>;

/** Ids that tie a call to its run; the Langfuse trace id derives from `runId` when no `traceId` is given. */
export const traceContextSchema = z.object({
  name: z.string().optional(),
  traceId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  runId: z.string().optional(),
  workflowId: z.string().optional(),
  activityId: z.string().optional(),
  userId: z.string().optional(),
  tags: z.array(z.string()).optional(),
});
export type TraceContext = z.infer<typeof traceContextSchema>;

export const generateRequestSchema = z.object({
  /** Alias or provider:model; default LLM_DEFAULT_MODEL. */
  model: modelRefSchema.optional(),
  messages: z.array(messageSchema).min(1),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  /** Per provider request, in ms. */
  timeoutMs: z.number().int().positive().optional(),
  /** Replaces the alias's own fallback list (empty: no fallback). */
  fallbacks: z.array(modelRefSchema).optional(),
  tools: z.array(toolDefinitionSchema).optional(),
  toolChoice: toolChoiceSchema.optional(),
  responseFormat: responseFormatSchema.optional(),
  /** Skip the cache for this call (neither read nor written). */
  bypassCache: z.boolean().optional(),
  /** Default true (as configured); false sends text unredacted. */
  redactPii: z.boolean().optional(),
  maxOutputChars: z.number().int().positive().optional(),
  trace: traceContextSchema.optional(),
});
export type GenerateRequest = z.output<typeof generateRequestSchema>;
export type GenerateRequestInput = z.input<typeof generateRequestSchema>;

export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof usageSchema>;

export const failureKinds = [
  'rate_limit',
  'server',
  'timeout',
  'connection',
  'context_length',
  'auth',
  'invalid_request',
  'not_configured',
  'aborted',
  'unknown',
] as const;
export const failureKindSchema = z.enum(failureKinds);
export type FailureKind = z.infer<typeof failureKindSchema>;

/** One request to one model: how it went. */
export const attemptSchema = z.object({
  model: z.string(),
  provider: providerNameSchema,
  providerModel: z.string(),
  ok: z.boolean(),
  failure: failureKindSchema.optional(),
  status: z.number().int().optional(),
  message: z.string().optional(),
  retryAfterMs: z.number().nonnegative().optional(),
  latencyMs: z.number().nonnegative(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const guardrailFlagSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('prompt_injection'),
    rule: z.string(),
    /** Index of the message in the request. */
    messageIndex: z.number().int().nonnegative(),
    excerpt: z.string(),
  }),
  z.object({
    type: z.literal('pii_redacted'),
    counts: z.partialRecord(piiKindSchema, z.number().int().positive()),
  }),
]);
export type GuardrailFlag = z.infer<typeof guardrailFlagSchema>;

export const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'other']);
export type FinishReason = z.infer<typeof finishReasonSchema>;

export const generateResultSchema = z.object({
  text: z.string(),
  toolCalls: z.array(toolCallSchema),
  finishReason: finishReasonSchema,
  /** The alias (or provider:model) that answered, a fallback when the first choice failed. */
  model: z.string(),
  provider: providerNameSchema,
  providerModel: z.string(),
  usage: usageSchema,
  costUsd: z.number().nonnegative(),
  cached: z.boolean(),
  latencyMs: z.number().nonnegative(),
  attempts: z.array(attemptSchema),
  flags: z.array(guardrailFlagSchema),
  /** Langfuse trace id, when tracing is on. */
  traceId: z.string().optional(),
});
export type GenerateResult = z.infer<typeof generateResultSchema>;

export const embedRequestSchema = z.object({
  model: modelRefSchema.optional(),
  texts: z.array(z.string()).min(1),
  batchSize: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive().optional(),
  redactPii: z.boolean().optional(),
  trace: traceContextSchema.optional(),
});
export type EmbedRequest = z.output<typeof embedRequestSchema>;
export type EmbedRequestInput = z.input<typeof embedRequestSchema>;

export const embedResultSchema = z.object({
  /** One vector per input text, in input order. */
  vectors: z.array(z.array(z.number())),
  dimensions: z.number().int().nonnegative(),
  model: z.string(),
  provider: providerNameSchema,
  providerModel: z.string(),
  usage: usageSchema,
  costUsd: z.number().nonnegative(),
  latencyMs: z.number().nonnegative(),
  attempts: z.array(attemptSchema),
  traceId: z.string().optional(),
});
export type EmbedResult = z.infer<typeof embedResultSchema>;
