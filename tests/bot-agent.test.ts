import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';
import { startFakeServer } from '../tools/llm/testing/fake-server';
import type { FakeServer } from '../tools/llm/testing/fake-server';
import { openAiChat } from '../tools/llm/testing/wire';

/**
 * The agent from Slack, end to end: the real Bolt app, local Slack, real workers, and a local
 * OpenAI-format server scripting the model (a lookup per step until three are done).
 */
let h: BotHarness;
let openai: FakeServer;
beforeAll(async () => {
  openai = await startFakeServer((request) => {
    const body = request.body as { messages: { role: string; content: string | null }[] };
    const done = body.messages.filter((m) => m.role === 'tool').length;
    if (done >= 3) return openAiChat({ content: `Looked up ${done} vendors.` });
    return openAiChat({
      content: null,
      toolCalls: [
        {
          id: `c${done}`,
          name: 'invoices_lookupVendor',
          arguments: JSON.stringify({ vendor: `slack-${done}` }),
        },
      ],
    });
  });
  const policy = join(mkdtempSync(join(tmpdir(), 'agent-policy-')), 'policy.yaml');
  writeFileSync(policy, 'workflows:\n  agent:\n    run: { everyone: true }\n');
  h = await startBotHarness({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      LLM_MODELS: JSON.stringify({ smart: { provider: 'openai', model: 'gpt-4o-mini' } }),
      LLM_CACHE_ENABLED: 'false',
      PANTHEON_POLICY_FILE: policy,
      // Small, so the run continues as new after a step or two.
      AGENT_CONTINUE_AS_NEW_EVENTS: '20',
    },
  });
});
afterAll(async () => {
  await h?.close();
  await openai?.close();
});

describe('the agent from Slack', () => {
  it('answers a 20,000-character mention with its length and the limit, and starts nothing', async () => {
    const before = await h.countWorkflows();
    const mention = await h.slack.appMention({ user: 'U_ALICE', channel: 'C_OPS', text: 'a'.repeat(20_000) });
    expect(mention.status).toBe(200);
    const reply = await h.slack.waitUntil(
      () => h.slack.thread('C_OPS', mention.ts!).find((m) => m.bot_id),
      10_000,
    );
    expect(reply.text).toBe(
      'Sorry <@U_ALICE>, your message is 20000 characters; the agent takes at most 12000. Shorten it and mention me again.',
    );
    expect(await h.countWorkflows()).toBe(before);
  });

  it('keeps reporting in the first run’s thread after continuing as new', async () => {
    const sent = await h.slack.slashCommand({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: 'run agent request="Look up three vendors" labels=finance',
    });
    const started = await h.answer(sent);
    const workflowId = /`(agent-\S+?)`/.exec(JSON.stringify(started.body))![1]!;
    const result = (await h.runs.handle(workflowId).result()) as { answer: string; runs: number };
    expect(result.answer).toBe('Looked up 3 vendors.');
    expect(result.runs).toBeGreaterThan(1);

    // One root message in the channel; every later run's root and the result are in its thread.
    const roots = () =>
      h.slack.messages('C_OPS', { includeReplies: false }).filter((m) => m.text.includes(workflowId));
    expect(roots()).toHaveLength(1);
    const thread = await h.slack.waitUntil(() => {
      const replies = h.slack.thread('C_OPS', roots()[0]!.ts).slice(1);
      return replies.some((m) => m.text.startsWith('✅ agent completed')) && replies;
    }, 10_000);
    expect(thread.filter((m) => m.text.includes(workflowId)).length).toBeGreaterThanOrEqual(result.runs - 1);
    expect(roots()).toHaveLength(1);
  });
});
