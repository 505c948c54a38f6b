/**
 * `npx tsx bin/env-example.ts > .env.example`: every setting with its description and default,
 * straight from the zod shapes, so the example never drifts from the code.
 */
import type { z } from 'zod';
import { approvalsConfigShape } from '../approvals/config';
import { botConfigShape } from '../bot/config';
import { configShape } from '../config';
import { blobConfigShape } from '../core/blobs/config';
import { deliveryConfigShape } from '../core/delivery/config';
import { llmConfigShape } from '../tools/llm/config';
import { agentConfigShape } from '../tools/actions/config';
import { postgresToolConfigShape } from '../tools/postgres/config';
import { repositoryConfigShape } from '../tools/repository/config';
import { codeExecutorConfigShape } from '../tools/code-executor/config';
import { documentsToolConfigShape } from '../tools/documents/config';

const sections: [string, Record<string, z.ZodType>][] = [
  ['Core: Temporal, workers, storage, Slack, encryption', configShape],
  ['Blob store and large payloads (core/blobs)', blobConfigShape],
  ['Delivery queue (core/delivery)', deliveryConfigShape],
  ['Slack bot (bot/)', botConfigShape],
  ['Approvals: email, replies, Gmail (approvals/)', approvalsConfigShape],
  ['LLM: providers, models, cache, guardrails, Langfuse (tools/llm)', llmConfigShape],
  ['Agent limits (workflows/agent.ts)', agentConfigShape],
  ['Postgres tool (tools/postgres)', postgresToolConfigShape],
  ['Internal data repository (tools/repository)', repositoryConfigShape],
  ['Code executor (tools/code-executor)', codeExecutorConfigShape],
  ['Documents tool (tools/documents)', documentsToolConfigShape],
];
const seen = new Set<string>();
const lines = [
  '# Pantheon settings. Copy to .env and set what you need; real environment variables win.',
  '# Every key is optional; the defaults suit `npm run dev` on one machine.',
  '# Regenerate with: npx tsx bin/env-example.ts > .env.example',
];
for (const [title, shape] of sections) {
  const keys = Object.keys(shape).filter(
    (key) => !seen.has(key) && (shape === configShape ? !inOtherSection(key) : true),
  );
  if (keys.length === 0) continue;
  lines.push('', `# ── ${title} ${'─'.repeat(Math.max(0, 90 - title.length))}`);
  for (const key of keys) {
    seen.add(key);
    const schema = shape[key]!;
    const value = exampleValue(schema);
    lines.push('', `# ${schema.description ?? key}`, `# ${key}=${value}`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);

function inOtherSection(key: string): boolean {
  return (
    key in blobConfigShape ||
    key in deliveryConfigShape ||
    key in botConfigShape ||
    key in approvalsConfigShape ||
    key in llmConfigShape ||
    key in agentConfigShape ||
    key in postgresToolConfigShape ||
    key in repositoryConfigShape ||
    key in codeExecutorConfigShape ||
    key in documentsToolConfigShape
  );
}

/** The default as a person would type it: the raw (pre-transform) default where there is one. */
function exampleValue(schema: z.ZodType): string {
  const def = (schema as unknown as { _zod: { def: { type: string; defaultValue?: unknown } } })._zod.def;
  if (def.type === 'prefault' && typeof def.defaultValue === 'string') return def.defaultValue;
  const parsed = schema.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) return '';
  const value: unknown = parsed.data;
  if (Array.isArray(value)) return value.every((v) => typeof v !== 'object') ? value.join(',') : '';
  if (typeof value === 'object' && value !== null) return ''; // JSON tables merge over built-in defaults
  return String(value);
}
