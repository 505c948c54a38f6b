import type { z } from 'zod';
import { ErrorCode, PantheonError } from '../errors';
import { describeIssues } from '../validation';
import { schemaFields } from './schema-fields';
import type { SchemaField } from './schema-fields';

/**
 * Turns what a person typed — `key=value ...` (values may be "quoted", lists comma-separated or
 * [json]) or one `{json}` object — into a workflow input, typed by the workflow's zod schema.
 */
export type ParsedArguments =
  | { readonly ok: true; readonly input: unknown }
  | {
      readonly ok: false;
      readonly problems: readonly string[];
      readonly missing: readonly string[];
      readonly partial: Record<string, unknown>;
    };

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /(?:[^\s"'“”‘’]+|"[^"]*"|'[^']*'|“[^”]*”|‘[^’]*’)+/g;
  for (const match of text.matchAll(pattern)) {
    tokens.push(match[0].replace(/(?<==)["'“‘]|^["'“‘]|["'”’]$/g, ''));
  }
  return tokens;
}

function coerce(raw: string, field: SchemaField): unknown {
  const type = field.type === 'list' ? 'list' : field.type;
  switch (type) {
    case 'number':
    case 'integer': {
      const value = Number(raw.replace(/[_,](?=\d{3}\b)/g, ''));
      return raw.trim() === '' || Number.isNaN(value) ? raw : value;
    }
    case 'boolean':
      if (/^(true|yes|y|on|1)$/i.test(raw)) return true;
      if (/^(false|no|n|off|0)$/i.test(raw)) return false;
      return raw;
    case 'list': {
      if (raw.startsWith('[')) return parseJson(raw) ?? raw;
      const item: SchemaField = { ...field, type: field.itemType ?? 'string' };
      return raw === '' ? [] : raw.split(',').map((part) => coerce(part.trim(), item));
    }
    case 'json':
      return parseJson(raw) ?? raw;
    default:
      return raw;
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export function parseArguments(schema: z.ZodType, text: string): ParsedArguments {
  const fields = schemaFields(schema);
  const trimmed = text.trim();
  let partial: Record<string, unknown> = {};
  const problems: string[] = [];

  if (trimmed.startsWith('{')) {
    const json = parseJson(trimmed);
    if (json === undefined || typeof json !== 'object' || json === null || Array.isArray(json)) {
      return { ok: false, problems: ['(input): not a valid JSON object'], missing: [], partial };
    }
    partial = json as Record<string, unknown>;
  } else {
    for (const token of tokenize(trimmed)) {
      const eq = token.indexOf('=');
      if (eq <= 0) {
        problems.push(`"${token}": expected key=value (known keys: ${fields.map((f) => f.name).join(', ')})`);
        continue;
      }
      const key = token.slice(0, eq);
      const field = fields.find((f) => f.name === key);
      if (!field) {
        problems.push(`${key}: unknown field (known: ${fields.map((f) => f.name).join(', ')})`);
        continue;
      }
      partial[key] = coerce(token.slice(eq + 1), field);
    }
  }

  const missing = fields.filter((f) => f.required && partial[f.name] === undefined).map((f) => f.name);
  const result = schema.safeParse(partial);
  if (problems.length === 0 && result.success) return { ok: true, input: result.data };
  const schemaProblems = result.success
    ? []
    : describeIssues(result.error).filter((line) => !missing.some((name) => line.startsWith(`${name}:`)));
  return {
    ok: false,
    problems: [...problems, ...schemaProblems, ...missing.map((name) => `${name}: required`)],
    missing,
    partial,
  };
}

/** For callers that have no modal to fill in gaps: throws with every bad field named. */
export function parseArgumentsOrThrow(schema: z.ZodType, text: string): unknown {
  const parsed = parseArguments(schema, text);
  if (parsed.ok) return parsed.input;
  throw new PantheonError(ErrorCode.InvalidInput, `Invalid input: ${parsed.problems.join('; ')}`, {
    problems: parsed.problems,
  });
}
