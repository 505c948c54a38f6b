import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';
import { budgetDenyActionId, budgetRaiseActionId } from '../core/workflow/budget-contract';
import type { BudgetStatus } from '../core/workflow/budget-contract';
import { startFakeServer } from '../tools/llm/testing/fake-server';
import type { FakeServer } from '../tools/llm/testing/fake-server';
import { openAiChat } from '../tools/llm/testing/wire';
import { waitFor } from './support/wait';

/**
 * The bot as `npm run bot` assembles it: approval buttons, budget buttons and `status` with the
 * approval history all work through the one Bolt app, against the local Slack and real workers.
 */
let h: BotHarness;
let openai: FakeServer;
beforeAll(async () => {
  // column-mapping's one model call, for the budget test: a run paused before it, then raised.
  const mapping = JSON.stringify({
    mappings: [{ target: 'b', source: 'a', transform: 'copy', confidence: 1, note: null }],
  });
  openai = await startFakeServer(() =>
    openAiChat({ content: mapping, promptTokens: 200, completionTokens: 50 }),
  );
  h = await startBotHarness({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      LLM_MODELS: JSON.stringify({ smart: { provider: 'openai', model: 'gpt-4o-mini' } }),
      LLM_CACHE_ENABLED: 'false',
    },
  });
});
afterAll(async () => {
  await h?.close();
  await openai?.close();
});

const textOf = (message: { text: string; blocks?: unknown[] }) =>
  `${message.text} ${JSON.stringify(message.blocks ?? [])}`;

describe('the assembled bot', () => {
  it('runs expense-approval from /pantheon run: the manager approves with the bot’s own button, and status shows the approval', async () => {
    const description = `Taxi ${Date.now()}`;
    const command = await h.slack.slashCommand({
      user: 'U_ALICE',
      channel: 'C_FINANCE',
      text: `run expense-approval description="${description}" amount=42`,
    });
    expect(command.status).toBe(200);
    const dm = await h.slack.waitUntil(
      () =>
        h.slack
          .messages('U_BOB')
          .find((m) => textOf(m).includes(description) && textOf(m).includes('approvals.approve')),
      15_000,
    );
    const click = await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'U_BOB',
      messageTs: dm.ts,
      actionId: 'approvals.approve',
    });
    expect(click.status).toBe(200);
    const decided = await h.slack.waitUntil(() => {
      const now = h.slack.message('U_BOB', dm.ts);
      return now && !textOf(now).includes('approvals.approve') ? now : undefined;
    }, 15_000);
    expect(textOf(decided)).toContain('U_BOB');

    const runId = /expense-approval-[\w-]+/.exec(
      h.slack
        .messages('C_FINANCE')
        .map(textOf)
        .find((t) => t.includes(description) || t.includes('expense-approval')) ?? '',
    )?.[0];
    expect(runId).toBeDefined();
    const status = await h.slack.slashCommand({
      user: 'U_ALICE',
      channel: 'C_FINANCE',
      text: `status ${runId}`,
    });
    const reply = await h.answer(status);
    expect(JSON.stringify(reply.body)).toMatch(/Approvals.*approved by slack:U_BOB via slack/);
    await h.runs.cancel(runId!); // finance would answer by email; that path has its own tests
  });

  it('turns the budget buttons into a signed decision the paused run takes; says when a run has no budget, and once it is over', async () => {
    const run = await h.runs.start('column-mapping', {
      source: { columns: ['a'], rows: [['x']] },
      target: { columns: ['b'] },
      budget: { maxTokens: 100 },
    });
    const paused = await waitFor(async () => {
      const budget = await h.runs.handle(run.workflowId).query<BudgetStatus>('pantheon.budget');
      return budget.state === 'waiting' ? budget : undefined;
    }, 'the budget pause');
    expect(paused.maxTokens).toBe(100);
    expect(openai.requests).toHaveLength(0);

    // Stands in for the question budget.askRaise posts (its blocks are unit-tested in tools/llm).
    const button = (action_id: string, value: object) => ({
      type: 'button' as const,
      action_id,
      text: { type: 'plain_text' as const, text: action_id },
      value: JSON.stringify(value),
    });
    const ask = (workflowId: string) =>
      h.bot.app.client.chat.postMessage({
        channel: 'C_OPS',
        text: 'Budget reached',
        blocks: [
          {
            type: 'actions',
            elements: [
              button(budgetRaiseActionId, { workflowId, maxTokens: 100_000 }),
              button(budgetDenyActionId, { workflowId }),
            ],
          },
        ],
      });
    const click = async (question: { ts?: string }, actionId: string) => {
      const clicked = await h.slack.clickButton({
        user: 'U_BOB',
        channel: 'C_OPS',
        messageTs: question.ts!,
        actionId,
      });
      return h.slack.waitUntil(() => clicked.responses()[0], 10_000);
    };

    const question = await ask(run.workflowId);
    expect((await click(question, budgetRaiseActionId)).body.text).toBe(
      '💸 <@U_BOB> raised the budget; the run goes on.',
    );
    const result = (await h.runs.handle(run.workflowId).result()) as { usage: { maxTokens?: number } };
    expect(result.usage.maxTokens).toBe(100_000);
    expect(openai.requests).toHaveLength(1);
    const budget = await h.runs.handle(run.workflowId).query<BudgetStatus>('pantheon.budget');
    expect(budget.decisions.map((d) => [d.kind, d.by])).toEqual([['raise', 'slack:U_BOB']]);

    // A run without an LLM budget takes nothing, and says so.
    const other = await h.runs.start('invoice-review', { vendor: `b-${Date.now()}`, amount: 9000 });
    expect((await click(await ask(other.workflowId), budgetRaiseActionId)).body.text).toBe(
      'Nothing changed: This run has no LLM budget to decide on.',
    );
    await h.runs.cancel(other.workflowId);
    await h.runs
      .handle(other.workflowId)
      .result()
      .catch(() => undefined);
    expect((await click(await ask(other.workflowId), budgetDenyActionId)).body.text).toMatch(
      /no longer running/,
    );
  });
});
