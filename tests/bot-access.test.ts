import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetRaiseActionId } from '../core/workflow/budget-contract';
import { DEFAULT_WORKSPACE } from '@pantheon/local-slack/seed';
import type { Block } from '@pantheon/local-slack';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';
import type { PolicyInput } from '../core/policy/schema';

/**
 * Access from Slack is the deployment policy's, deny by default, through the real Bolt app and the
 * local workspace: a workflow the policy does not name runs for nobody; outsiders (another team or
 * organisation) and guests are refused everywhere; only the requester, an operator or an approver
 * may cancel a run or change its budget; approvers come from the policy, never the requester.
 */
const policy: PolicyInput = {
  roles: { operators: { slackUsers: ['U_CAROL'] } },
  workflows: {
    'invoice-review': { run: { everyone: true } },
    'column-mapping': { run: { slackUsers: ['U_BOB'], slackGroups: ['S_FINANCE'] } },
    'expense-approval': {
      run: { everyone: true },
      approvers: { manager: { slackUsers: ['U_BOB'] }, finance: { emails: ['carol@example.com'] } },
    },
    // contract-extraction and agent: not named, so nobody may run them.
  },
};

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness({
    policy,
    slack: {
      workspace: {
        users: [
          ...DEFAULT_WORKSPACE.users,
          { id: 'U_DAVE', name: 'dave', email: 'dave@example.com' },
          { id: 'U_GUEST', name: 'gus', email: 'gus@contractor.example', guest: 'multi' },
          { id: 'U_OUTSIDER', name: 'olga', email: 'olga@partner.example', teamId: 'T_PARTNER' },
          { id: 'U_GRID', name: 'gina', teamId: 'T_GRIDTEAM', enterpriseId: 'E_OTHERORG' },
        ],
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const textOf = (post: { body: Record<string, unknown> }): string => {
  const blocks = (post.body.blocks as Block[] | undefined) ?? [];
  return [post.body.text, ...blocks.map((b) => JSON.stringify(b))].join('\n');
};

async function command(text: string, user = 'U_ALICE', channel = 'C_OPS') {
  const sent = await h.slack.slashCommand({ user, channel, text });
  expect(sent.status).toBe(200);
  return textOf(await h.answer(sent));
}

/** Alice starts an expense run from Slack; it waits for its manager. */
async function expenseRun(user = 'U_ALICE', extra = ''): Promise<string> {
  const answer = await command(
    `run expense-approval description="Taxi ${Date.now()}" amount=12 ${extra}`,
    user,
  );
  return /`(expense-approval-s\w+)`/.exec(answer)![1]!;
}

describe('deny by default', () => {
  it('refuses a workflow the policy does not name, naming the key to set, and one limited to others, naming who may', async () => {
    const before = await h.countWorkflows();
    expect(await command('run contract-extraction text=hello')).toMatch(
      /🔒 You can't run this here: Nobody may run `contract-extraction` yet: .*`workflows\.contract-extraction\.run` in the policy file.*Nothing was started/,
    );
    expect(
      await command('run column-mapping {"source":{"columns":["a"],"rows":[]},"target":{"columns":["b"]}}'),
    ).toMatch(/`column-mapping` is limited to <@U_BOB>, <!subteam\^S_FINANCE>\. Ask one of them/);
    const list = await command('list');
    expect(list).toMatch(/`invoice-review`/);
    expect(list).not.toMatch(/contract-extraction|column-mapping|`agent`/);
    expect(await h.countWorkflows()).toBe(before);
    // Carol is in S_FINANCE: the group grants it.
    expect(await command('list', 'U_CAROL')).toMatch(/`column-mapping`/);
  });
});

describe('organisations and guests', () => {
  it.each([
    ['U_OUTSIDER', /only for members of this workspace/],
    ['U_GRID', /only for members of this workspace/],
    ['U_GUEST', /Guest accounts cannot use Pantheon here/],
  ])('refuses %s on every entry point and starts nothing', async (user, reason) => {
    const before = await h.countWorkflows();
    expect(await command('run invoice-review vendor=x amount=1', user)).toMatch(reason);
    expect(await command('list', user)).toMatch(reason);
    expect(await command('status', user)).toMatch(reason);
    const mention = await h.slack.appMention({
      user,
      channel: 'C_OPS',
      text: 'run invoice-review vendor=x amount=1',
    });
    const refusal = await h.slack.waitFor(
      'ephemeral_posted',
      (e) => e.ephemeral.user === user && e.ephemeral.thread_ts === mention.ts,
      5000,
    );
    expect(refusal.ephemeral.message.text).toMatch(reason);
    const chat = await h.slack.appMention({ user, channel: 'C_OPS', text: 'what can you do?' });
    const chatRefusal = await h.slack.waitFor(
      'ephemeral_posted',
      (e) => e.ephemeral.user === user && e.ephemeral.thread_ts === chat.ts,
      5000,
    );
    expect(chatRefusal.ephemeral.message.text).toMatch(reason);
    expect(await h.countWorkflows()).toBe(before);
  });
});

describe('steering a run', () => {
  it('takes the expense run’s approvers from the policy, not from what the requester typed', async () => {
    const workflowId = await expenseRun('U_ALICE', 'manager=U_DAVE finance=dave@example.com');
    await waitForRequest(workflowId);
    const { rows } = await h.stack.db.query<{ approvers: string[] }>(
      'SELECT approvers FROM approval_requests WHERE workflow_id = $1',
      [workflowId],
    );
    expect(rows).toEqual([{ approvers: ['slack:U_BOB'] }]);
    await h.slack.waitUntil(() => h.slack.messages('U_BOB').find((m) => m.text.includes('Taxi')), 10_000);
    expect(h.slack.messages('U_DAVE').some((m) => m.text.includes('Taxi'))).toBe(false);
    await h.runs.cancel(workflowId);
  });

  it('lets only the requester, an operator or an approver cancel', async () => {
    const first = await expenseRun();
    expect(await command(`cancel ${first}`, 'U_DAVE')).toMatch(
      /🔒 You can't cancel `expense-approval-s\w+`: only whoever started it \(<@U_ALICE>\), one of its approvers, or an operator/,
    );
    expect((await h.runs.handle(first).describe()).status.name).toBe('RUNNING');
    expect(await command(`cancel ${first}`, 'U_ALICE')).toMatch(/Cancellation requested/);

    const second = await expenseRun();
    expect(await command(`cancel ${second}`, 'U_CAROL')).toMatch(/Cancellation requested/); // operator

    const third = await expenseRun();
    await waitForRequest(third);
    expect(await command(`cancel ${third}`, 'U_BOB')).toMatch(/Cancellation requested/); // its approver
  });

  it('lets only the requester, an operator or an approver raise or stop its budget', async () => {
    const workflowId = await expenseRun();
    const posted = await h.bot.app.client.chat.postMessage({
      channel: 'C_OPS',
      text: 'Budget reached',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: budgetRaiseActionId,
              text: { type: 'plain_text', text: 'Raise' },
              value: JSON.stringify({ workflowId, maxTokens: 5000 }),
            },
          ],
        },
      ],
    });
    const click = async (user: string) => {
      const result = await h.slack.clickButton({
        user,
        channel: 'C_OPS',
        messageTs: posted.ts!,
        actionId: budgetRaiseActionId,
      });
      return (await h.slack.waitUntil(() => result.responses()[0])).body.text as string;
    };
    expect(await click('U_DAVE')).toMatch(
      /🔒 Only whoever started this run, one of its approvers, or an operator/,
    );
    expect(await click('U_OUTSIDER')).toMatch(/🔒/);
    // Past the access check, the run itself answers: it has no LLM budget, so a raise changes
    // nothing (a paused run taking one: tests/bot-wiring.test.ts).
    expect(await click('U_ALICE')).toBe('Nothing changed: This run has no LLM budget to decide on.');
    expect(await click('U_CAROL')).toBe('Nothing changed: This run has no LLM budget to decide on.'); // operator
    const updates = (await h.runs.handle(workflowId).fetchHistory()).events!.filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
    );
    expect(updates).toHaveLength(0);
    await h.runs.cancel(workflowId);
  });
});

describe('no approver left', () => {
  it('fails the run at once when the only approver is its requester, and says so in its thread', async () => {
    const workflowId = await expenseRun('U_BOB');
    const failure = await h.runs
      .handle(workflowId)
      .result()
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    expect(failure).toBeDefined();
    const reply = await h.slack.waitUntil(
      () =>
        h.slack
          .messages('C_OPS')
          .find((m) =>
            /No one may approve step "manager" of expense-approval/.test(
              `${m.text}${JSON.stringify(m.blocks ?? [])}`,
            ),
          ),
      10_000,
    );
    expect(`${reply.text}${JSON.stringify(reply.blocks)}`).toMatch(/slack:U_BOB started the run/);
  });
});

async function waitForRequest(workflowId: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await h.stack.db.query('SELECT 1 FROM approval_requests WHERE workflow_id = $1', [
      workflowId,
    ]);
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no approval request for ${workflowId}`);
}
