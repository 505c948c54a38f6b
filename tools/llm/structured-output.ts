import { z } from 'zod';
import { describeIssues } from '../../core/validation';
import { LlmOutputInvalidError } from './errors';
import type { GenerateRequestInput, GenerateResult, LlmMessageInput, ResponseFormat } from './models';
import { roundUsd } from './workflow/pricing';

/**
 * Structured output: the provider's native mechanism (OpenAI json_schema, Anthropic forced tool)
 * asks for JSON of a schema; zod checks the answer; a bounded repair loop sends the problems back
 * to the model. Answers that still fail become a typed LlmOutputInvalidError.
 */
export interface StructuredOptions {
  /** Names the schema for the model (the tool / json_schema name). */
  readonly name?: string;
  readonly description?: string;
  /** Repair rounds after the first answer; default LLM_MAX_REPAIRS. */
  readonly maxRepairs?: number;
  /** The JSON Schema to send, when the caller has it already (activities); else derived from the zod schema. */
  readonly jsonSchema?: Record<string, unknown>;
}

export interface StructuredResult<T> extends GenerateResult {
  readonly data: T;
  /** Answers it took, 1 when the first was valid. */
  readonly rounds: number;
}

type Generate = (request: GenerateRequestInput) => Promise<GenerateResult>;

export async function generateStructured<S extends z.ZodType>(
  generate: Generate,
  request: GenerateRequestInput,
  schema: S,
  options: StructuredOptions & { readonly maxRepairs: number },
): Promise<StructuredResult<z.output<S>>> {
  const name = options.name ?? 'answer';
  const { format, wrapped } = responseFormatFor(
    options.jsonSchema ?? z.toJSONSchema(schema, { unrepresentable: 'any' }),
    name,
    options.description,
  );
  const messages: LlmMessageInput[] = [...request.messages];
  const results: GenerateResult[] = [];
  let problems: string[] = [];
  for (let round = 1; round <= options.maxRepairs + 1; round++) {
    const result = await generate({ ...request, messages, responseFormat: format });
    results.push(result);
    const parsed = parseAnswer(result.text, wrapped);
    if (parsed.ok) {
      const checked = schema.safeParse(parsed.value);
      if (checked.success) return { ...combine(results), data: checked.data, rounds: round };
      problems = describeIssues(checked.error);
    } else {
      problems = [parsed.problem];
    }
    messages.push(
      { role: 'assistant', content: result.text },
      { role: 'user', content: repairPrompt(name, problems) },
    );
  }
  throw new LlmOutputInvalidError(name, problems, results.length, results.at(-1)?.text ?? '');
}

/**
 * The response format for a JSON Schema. Providers want an object at the root, so other schemas
 * are wrapped as `{ value: ... }`; strict mode only when OpenAI's strict rules hold (every
 * property required, no extra properties), else the schema is a strong hint and zod decides.
 */
export function responseFormatFor(
  jsonSchema: Record<string, unknown>,
  name: string,
  description?: string,
): { format: ResponseFormat; wrapped: boolean } {
  const { $schema: _ignored, ...schema } = jsonSchema;
  const wrapped = schema.type !== 'object';
  const root = wrapped
    ? { type: 'object', properties: { value: schema }, required: ['value'], additionalProperties: false }
    : schema;
  return { format: { name, description, schema: root, strict: isStrictCompatible(root) }, wrapped };
}

function isStrictCompatible(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(isStrictCompatible);
  if (schema === null || typeof schema !== 'object') return true;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object' || node.properties) {
    const properties = Object.keys((node.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    if (node.additionalProperties !== false || properties.some((p) => !required.has(p))) return false;
  }
  return Object.values(node).every(isStrictCompatible);
}

function parseAnswer(
  text: string,
  wrapped: boolean,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  // Some OpenAI-compatible servers wrap JSON in a markdown fence despite the schema.
  const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1');
  try {
    const value: unknown = JSON.parse(unfenced);
    if (!wrapped) return { ok: true, value };
    if (value !== null && typeof value === 'object' && 'value' in value)
      return { ok: true, value: value.value };
    return { ok: false, problem: 'expected an object with a "value" field' };
  } catch (error) {
    return {
      ok: false,
      problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

function repairPrompt(name: string, problems: readonly string[]): string {
  return [
    `Your answer does not match the required JSON schema "${name}":`,
    ...problems.map((p) => `- ${p}`),
    'Reply again with the complete corrected JSON only.',
  ].join('\n');
}

/** One result for all rounds: the last answer, with usage, cost and attempts summed. */
function combine(results: readonly GenerateResult[]): GenerateResult {
  const last = results.at(-1)!;
  if (results.length === 1) return last;
  const sum = (pick: (r: GenerateResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    ...last,
    usage: {
      inputTokens: sum((r) => r.usage.inputTokens),
      outputTokens: sum((r) => r.usage.outputTokens),
      totalTokens: sum((r) => r.usage.totalTokens),
    },
    costUsd: roundUsd(sum((r) => r.costUsd)),
    latencyMs: sum((r) => r.latencyMs),
    attempts: results.flatMap((r) => r.attempts),
    flags: results[0]!.flags,
  };
}

/** For callers that only have JSON Schema (activity inputs): a zod validator built from it. */
export function schemaFromJson(jsonSchema: Record<string, unknown>): z.ZodType {
  return z.fromJSONSchema(jsonSchema);
}
