import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';
import { budgetDenyActionId, budgetRaiseActionId } from '../tools/llm/budget-contract';

/**
 * The bot as `npm run bot` assembles it: approval buttons, budget buttons and `status` with the
 * approval history all work through the one Bolt app, against the local Slack and real workers.
 */
let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
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

  it('turns the budget buttons into signals to the run, and answers clearly once the run is over', async () => {
    const run = await h.runs.start('invoice-review', { vendor: `b-${Date.now()}`, amount: 9000 });
    // Stands in for the question budget.askRaise posts (its blocks are unit-tested in tools/llm).
    const button = (action_id: string, value: object) => ({
      type: 'button' as const,
      action_id,
      text: { type: 'plain_text' as const, text: action_id },
      value: JSON.stringify(value),
    });
    const ask = () =>
      h.bot.app.client.chat.postMessage({
        channel: 'C_OPS',
        text: 'Budget reached',
        blocks: [
          {
            type: 'actions',
            elements: [
              button(budgetRaiseActionId, { workflowId: run.workflowId, maxTokens: 5000 }),
              button(budgetDenyActionId, { workflowId: run.workflowId }),
            ],
          },
        ],
      });
    let question = await ask();
    const click = (actionId: string, _value: object) =>
      h.slack.clickButton({ user: 'U_BOB', channel: 'C_OPS', messageTs: question.ts!, actionId });

    expect((await click(budgetRaiseActionId, { workflowId: run.workflowId, maxTokens: 5000 })).status).toBe(
      200,
    );
    let raised: unknown;
    for (let i = 0; i < 100 && !raised; i++) {
      const events = (await h.runs.handle(run.workflowId).fetchHistory()).events ?? [];
      raised = events.find(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'pantheon.budget.raise',
      )?.workflowExecutionSignaledEventAttributes;
      if (!raised) await new Promise((r) => setTimeout(r, 100));
    }
    expect(raised).toMatchObject({ signalName: 'pantheon.budget.raise' });
    await h.slack.waitUntil(
      () => (h.slack.message('C_OPS', question.ts!)?.text.includes('raised the budget') ? true : undefined),
      10_000,
    );

    await h.runs.cancel(run.workflowId);
    await h.runs
      .handle(run.workflowId)
      .result()
      .catch(() => undefined);
    question = await ask();
    const deny = await click(budgetDenyActionId, { workflowId: run.workflowId });
    const answer = await h.slack.waitFor(
      'response_url_posted',
      (e) => e.post.responseUrl === deny.responseUrl,
      10_000,
    );
    expect(JSON.stringify(answer.post)).toMatch(/no longer running/);
  });
});
