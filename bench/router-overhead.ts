/**
 * What the LLM router adds to a call: the same chat completion against the same local server,
 * once through the `openai` SDK directly (baseline) and once through LlmRouter with guardrails
 * (PII redaction + restore, output checks) and Langfuse tracing on, cache off. Calls alternate so
 * both see the same machine state. Goal: < 2 ms added at p50.
 */
import OpenAI from 'openai';
import { percentile, summaryLine } from './stats';
import { loadLlmConfig } from '../tools/llm/config';
import { LlmRouter } from '../tools/llm/router';
import { startFakeServer } from '../tools/llm/testing/fake-server';
import { openAiChat } from '../tools/llm/testing/wire';
import { createLlmTracing } from '../tools/llm/tracing';

const warmup = 300;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 2000);

const reply = openAiChat({ content: 'Sure — I will write to [EMAIL_1] about the March invoice today.' });
const openaiServer = await startFakeServer(() => reply, { record: false });
const langfuseServer = await startFakeServer(() => ({ body: {} }), { record: false });

const config = loadLlmConfig({
  OPENAI_API_KEY: 'sk-bench',
  OPENAI_BASE_URL: `${openaiServer.url}/v1`,
  LLM_DEFAULT_MODEL: 'gpt-4o-mini',
  LLM_CACHE_ENABLED: 'false',
  LLM_BLOCKED_TERMS: 'confidential,password',
  LANGFUSE_PUBLIC_KEY: 'pk-lf-bench',
  LANGFUSE_SECRET_KEY: 'sk-lf-bench',
  LANGFUSE_BASE_URL: langfuseServer.url,
});
const tracing = createLlmTracing(config);
const router = new LlmRouter({ config, tracing });
const direct = new OpenAI({ apiKey: 'sk-bench', baseURL: `${openaiServer.url}/v1`, maxRetries: 0 });

const system = 'You are the accounts-payable assistant. Answer briefly and never invent invoice numbers.';
const user =
  'Please reply to ana.lopez@example.com (+1 415 555 0100) about invoice INV-2024-0042 for March: the amount of 1 250.00 EUR ' +
  'was approved by the finance team, payment goes out on Friday, and the remittance advice will follow by email. ' +
  'Mention that the PO reference is PO-7781 and thank her for the quick turnaround.';

async function viaSdk(): Promise<number> {
  const started = performance.now();
  await direct.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    max_completion_tokens: 2048,
  });
  return performance.now() - started;
}

async function viaRouter(i: number): Promise<number> {
  const started = performance.now();
  await router.generate({
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user, untrusted: true },
    ],
    trace: { runId: `bench-run-${i % 50}`, workflowId: 'bench', activityId: String(i) },
  });
  return performance.now() - started;
}

for (let i = 0; i < warmup; i++) {
  await viaSdk();
  await viaRouter(i);
}

const baseline: number[] = [];
const ours: number[] = [];
for (let i = 0; i < iterations; i++) {
  // Alternate who goes first so neither always runs on a warmer connection.
  if (i % 2 === 0) {
    baseline.push(await viaSdk());
    ours.push(await viaRouter(i));
  } else {
    ours.push(await viaRouter(i));
    baseline.push(await viaSdk());
  }
}

await tracing.shutdown();
await Promise.all([openaiServer.close(), langfuseServer.close()]);

const added50 = percentile(ours, 50) - percentile(baseline, 50);
const added99 = percentile(ours, 99) - percentile(baseline, 99);
console.log(
  `router-overhead: ${iterations} calls each; added latency p50 ${added50.toFixed(3)} ms, p99 ${added99.toFixed(3)} ms`,
);
console.log(
  summaryLine(
    'router-overhead',
    ours,
    baseline,
    `< 2 ms added at p50; added p50 ${added50.toFixed(2)} ms p99 ${added99.toFixed(2)} ms`,
  ),
);
