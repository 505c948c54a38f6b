import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { BudgetStatus } from '../core/workflow/budget-contract';
import { voteSignerFor } from '../approvals/votes/keys';
import { sendBudgetDecision } from '../tools/llm/send-budget-decision';
import { startFakeServer } from '../tools/llm/testing/fake-server';
import type { FakeReply, FakeServer } from '../tools/llm/testing/fake-server';
import { openAiChat } from '../tools/llm/testing/wire';
import type { agentDefinition } from '../workflows/agent';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { waitFor } from './support/wait';

/**
 * The agent's limits from the worker's settings (never from the run's input): a default budget,
 * a cap on tool calls per model reply, a bounded conversation in every LLM activity input, and
 * continue-as-new before the history grows long. Real Temporal and workers, a local OpenAI-format
 * server scripting the model.
 */
type AgentOutput = z.output<typeof agentDefinition.output>;

interface ChatBody {
  messages: { role: string; content: string | null }[];
}

const contextChars = 6_000;
const scripts = new Map<string, (toolResults: string[]) => FakeReply>();
let openai: FakeServer;
let stack: Stack;

beforeAll(async () => {
  openai = await startFakeServer((request) => {
    const body = request.body as ChatBody;
    const text = body.messages.map((m) => m.content ?? '').join('\n');
    for (const [marker, script] of scripts) {
      if (text.includes(marker))
        return script(body.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? ''));
    }
    return openAiChat({ content: 'no script for this request' });
  });
  stack = await startStack({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${openai.url}/v1`,
    LLM_MODELS: JSON.stringify({ smart: { provider: 'openai', model: 'gpt-4o-mini' } }),
    LLM_CACHE_ENABLED: 'false',
    AGENT_MAX_TOKENS: '6000',
    AGENT_MAX_TOOL_CALLS_PER_REPLY: '3',
    AGENT_CONTEXT_CHARS: String(contextChars),
    AGENT_CONTINUE_AS_NEW_EVENTS: '40',
  });
});

afterAll(async () => {
  await stack?.close();
  await openai?.close();
});

const lookup = (id: string, vendor: string) => ({
  id,
  name: 'invoices_lookupVendor',
  arguments: JSON.stringify({ vendor }),
});

function requestsFor(marker: string): ChatBody[] {
  return openai.requests
    .filter((r) => r.method === 'POST')
    .map((r) => r.body as ChatBody)
    .filter((b) => b.messages.some((m) => m.content?.includes(marker)));
}

/** Every run of a workflow id (continue-as-new makes several), oldest first. */
async function runsOf(workflowId: string): Promise<string[]> {
  const runIds: string[] = [];
  for await (const run of stack.client.workflow.list({ query: `WorkflowId = "${workflowId}"` }))
    runIds.push(run.runId);
  return runIds.reverse();
}

describe('agent limits', () => {
  it('stops a run that gives no budget at the deployment’s default budget', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    // The first reply reports 7,000 tokens: past the 6,000 default, so the next call must wait.
    scripts.set(marker, (results) =>
      results.length === 0
        ? openAiChat({ content: null, toolCalls: [lookup('c1', `budget-${marker}`)], promptTokens: 7000 })
        : openAiChat({ content: 'should not get here' }),
    );
    const run = await stack.runs.start('agent', {
      request: `Look up a vendor (${marker})`,
      labels: ['finance'],
    });
    const paused = await waitFor(async () => {
      const status = await stack.runs.handle(run.workflowId).query<BudgetStatus>('pantheon.budget');
      return status.state === 'waiting' ? status : undefined;
    }, 'the budget pause');
    expect(paused).toMatchObject({ maxTokens: 6000, maxCostUsd: 1, totalTokens: 7005, calls: 1 });
    await sendBudgetDecision(stack.client, voteSignerFor(stack.config), run.workflowId, {
      kind: 'deny',
      by: 'cli:test',
    });
    const result = (await stack.runs.handle(run.workflowId).result()) as AgentOutput;
    expect(result).toMatchObject({ stoppedBy: 'budget', steps: 1, usage: { calls: 1, maxTokens: 6000 } });
    expect(requestsFor(marker)).toHaveLength(1);
  });

  it('never raises the default budget from the run input', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    scripts.set(marker, () => openAiChat({ content: 'fine' }));
    const run = await stack.runs.start('agent', {
      request: `Hi (${marker})`,
      budget: { maxTokens: 10_000_000 },
    });
    const result = (await stack.runs.handle(run.workflowId).result()) as AgentOutput;
    expect(result.usage).toMatchObject({ maxTokens: 6000, calls: 1 });
  });

  it('runs at most the configured number of tool calls from one reply and refuses the rest in tool messages', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    scripts.set(marker, (results) =>
      results.length === 0
        ? openAiChat({
            content: null,
            toolCalls: [0, 1, 2, 3, 4].map((i) => lookup(`c${i}`, `cap-${i}-${marker}`)),
          })
        : openAiChat({ content: results.join('\n') }),
    );
    const run = await stack.runs.start('agent', {
      request: `Look up five vendors (${marker})`,
      labels: ['finance'],
    });
    const result = (await stack.runs.handle(run.workflowId).result()) as AgentOutput;
    expect(result.actions.map((a) => [a.name, a.status, (a.args as { vendor: string }).vendor])).toEqual(
      [0, 1, 2].map((i) => ['invoices.lookupVendor', 'ok', `cap-${i}-${marker}`]),
    );
    const toolMessages = result.answer.split('\n');
    expect(toolMessages).toHaveLength(5);
    expect(
      toolMessages.slice(0, 3).map((m) => (JSON.parse(m) as { previousInvoices: number }).previousInvoices),
    ).toEqual([0, 0, 0]);
    expect(toolMessages.slice(3)).toEqual([
      expect.stringMatching(
        /^Refused: at most 3 tool calls run per reply, and this was call 4 of 5; it was not run\./,
      ),
      expect.stringMatching(/^Refused: at most 3 tool calls run per reply, and this was call 5 of 5/),
    ]);
  });

  it('keeps every model call’s conversation bounded and continues as new, finishing with the right answer', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    const lookups = 12;
    // Each step adds ~1,500 characters of the model's own text: unbounded, step 12 would send ~18,000.
    // The model only sees the latest steps, so it reads how far it got from the latest result.
    scripts.set(marker, (results) => {
      const seen = results.map((r) => Number(/long-(\d+)-/.exec(r)?.[1] ?? -1));
      const next = Math.max(-1, ...seen) + 1;
      return next < lookups
        ? openAiChat({
            content: `Step ${next + 1}: ${'thinking '.repeat(170)}`,
            toolCalls: [lookup(`c${next}`, `long-${next}-${marker}`)],
          })
        : openAiChat({ content: `Done after ${next} lookups.` });
    });
    const run = await stack.runs.start(
      'agent',
      { request: `Look up a dozen vendors one by one (${marker})`, labels: ['finance'], maxSteps: 20 },
      { startedBy: 'cli:limits-test' },
    );
    const result = (await stack.runs.handle(run.workflowId).result()) as AgentOutput;

    expect(result.answer).toBe(`Done after ${lookups} lookups.`);
    // The run's record is whole across its runs.
    expect(result.steps).toBe(lookups + 1);
    expect(result.actions).toHaveLength(lookups);
    expect(result.actions.map((a) => (a.args as { vendor: string }).vendor)).toEqual(
      Array.from({ length: lookups }, (_, i) => `long-${i}-${marker}`),
    );
    expect(result.usage.calls).toBe(lookups + 1);
    expect(result.runs).toBeGreaterThan(1);
    expect(Object.keys(result).sort()).toEqual([
      'actions',
      'answer',
      'injections',
      'runs',
      'steps',
      'stoppedBy',
      'taintedBy',
      'usage',
    ]);

    // Every request the model got (= each llm.generate input's messages) stayed within the budget.
    const sent = requestsFor(marker);
    expect(sent).toHaveLength(lookups + 1);
    for (const body of sent) {
      const chars = body.messages.reduce((n, m) => n + (m.content ?? '').length, 0);
      expect(chars).toBeLessThanOrEqual(contextChars + 200);
    }
    const last = sent.at(-1)!;
    expect(last.messages[1]!.content).toMatch(/\(Pantheon: \d+ earlier steps were left out/);

    // The runs chain by continue-as-new; each llm.generate activity input in history is bounded too.
    const runIds = await runsOf(run.workflowId);
    expect(runIds.length).toBe(result.runs);
    for (const [i, runId] of runIds.entries()) {
      const handle = stack.client.workflow.getHandle(run.workflowId, runId);
      const history = await handle.fetchHistory();
      const events = history.events!;
      if (i < runIds.length - 1)
        expect(events.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      for (const e of events) {
        const scheduled = e.activityTaskScheduledEventAttributes;
        if (scheduled?.activityType?.name !== 'llm.generate') continue;
        const bytes = scheduled.input!.payloads!.reduce((n, p) => n + (p.data?.length ?? 0), 0);
        expect(bytes).toBeLessThan(contextChars + 8_000);
      }
      // The memo (who started it; the Slack thread for runs from Slack) goes along to every run.
      expect((await handle.describe()).memo).toMatchObject({
        startedBy: 'cli:limits-test',
        workflow: 'agent',
      });
    }
  });
});
