import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../core/workflow/workflow-definition';
import { createWorkflowRegistry } from '../config/workflows';
import { invoiceReviewDefinition } from '../workflows/invoice-review';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';
import type { Block } from '@pantheon/local-slack';

/**
 * `/pantheon` end to end: the signed command reaches the real Bolt app, runs start on real workers
 * and report in a real (local) Slack thread. Access rules use two catalogue entries that run the
 * sample workflow's code under restricted names.
 */
const financeOnly: WorkflowDefinition = {
  ...invoiceReviewDefinition,
  name: 'ledger-close',
  access: { slackUserGroups: ['S_FINANCE'] },
};
const opsChannelOnly: WorkflowDefinition = {
  ...invoiceReviewDefinition,
  name: 'ops-report',
  access: { slackChannels: ['C_OPS'] },
};

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness({ workflows: createWorkflowRegistry().register(financeOnly, opsChannelOnly) });
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
  return { sent, answer: textOf(await h.answer(sent)) };
}

describe('/pantheon run', () => {
  it('starts a run whose root message, thread steps and result appear in the channel, and the root turns ✅', async () => {
    const vendor = `cmd-${Date.now()}`;
    const { answer } = await command(`run invoice-review vendor=${vendor} amount=20 currency=EUR`);
    expect(answer).toMatch(/Started \*invoice-review\* as `(invoice-review-s\w+)`/);
    const workflowId = /`(invoice-review-s\w+)`/.exec(answer)![1]!;
    await h.runs.handle(workflowId).result();

    const root = await h.slack.waitUntil(() =>
      h.slack
        .messages('C_OPS', { includeReplies: false })
        .find((m) => m.text.includes(workflowId) && m.text.startsWith('✅')),
    );
    expect(JSON.stringify(root.blocks)).toMatch(/\*invoice-review\* · started by <@U_ALICE>/);
    expect(JSON.stringify(root.blocks)).toMatch(/Open in Temporal/);
    const thread = h.slack
      .thread('C_OPS', root.ts)
      .slice(1)
      .map((m) => m.text);
    expect(thread).toEqual([
      '▸ Step 1 of 4 · Looking up vendor',
      '▸ Step 2 of 4 · Assessing risk',
      '▸ Step 3 of 4 · Recording in ledger',
      expect.stringMatching(/^✅ invoice-review completed in /),
    ]);
    const result = h.slack.thread('C_OPS', root.ts).at(-1)!;
    expect(JSON.stringify(result.blocks)).toContain(`*vendor*\\n${vendor}`);
    expect(JSON.stringify(result.blocks)).toContain('*decision*\\nauto-approved');
    const { rows } = await h.stack.db.query(
      'SELECT kind FROM slack_messages WHERE workflow_id = $1 ORDER BY kind',
      [workflowId],
    );
    expect(rows).toEqual([{ kind: 'result' }, { kind: 'root' }]);
  });

  it('says what was wrong with each bad field and starts nothing', async () => {
    const before = await h.countWorkflows();
    const { answer } = await command('run invoice-review amount=lots currency=JPY color=red');
    expect(answer).toMatch(/invoice-review\* was not started: its input has 4 problems/);
    expect(answer).toMatch(/`color` — unknown field/);
    expect(answer).toMatch(/`amount` — .*expected number.*_expects number, required_/);
    expect(answer).toMatch(/`currency` — .*_expects USD \| EUR \| GBP, default \\"USD\\"_/);
    expect(answer).toMatch(/`vendor` — required/);
    expect(answer).toMatch(
      /\*Example\*\\n`\/pantheon run invoice-review vendor=acme amount=1200 currency=EUR`/,
    );

    const json = await command('run invoice-review {"vendor": "acme", "amount": -5}');
    expect(json.answer).toMatch(/`amount` — Too small/);
    const broken = await command('run invoice-review {"vendor": ');
    expect(broken.answer).toMatch(/not a valid JSON object/);
    const word = await command('run invoice-review acme');
    expect(word.answer).toMatch(/`acme` — expected key=value/);
    expect(await h.countWorkflows()).toBe(before);
  });

  it('answers an unknown workflow with the closest names and starts nothing', async () => {
    const before = await h.countWorkflows();
    const { answer } = await command('run invoice-reveiw vendor=a amount=1');
    expect(answer).toMatch(
      /no workflow called `invoice-reveiw`. Did you mean `invoice-review`, `invoice-late-fee`\?/,
    );
    const verb = await command('launch invoice-review');
    expect(verb.answer).toMatch(/`launch` is not a command. Try `run`, `list`, `help`, `status`, `cancel`/);
    expect(await h.countWorkflows()).toBe(before);
  });

  it('refuses a user outside the allowed group, or the wrong channel, and starts nothing', async () => {
    const before = await h.countWorkflows();
    const refused = await command('run ledger-close vendor=a amount=1', 'U_BOB');
    expect(refused.answer).toMatch(
      /🔒 You can't run this here: `ledger-close` is limited to <!subteam\^S_FINANCE>.*Nothing was started/,
    );
    const elsewhere = await command('run ops-report vendor=a amount=1', 'U_CAROL', 'C_FINANCE');
    expect(elsewhere.answer).toMatch(/`ops-report` can only be run in <#C_OPS>/);
    expect(await h.countWorkflows()).toBe(before);

    const allowed = await command(
      `run ledger-close vendor=fin-${Date.now()} amount=3`,
      'U_CAROL',
      'C_FINANCE',
    );
    expect(allowed.answer).toMatch(/Started \*ledger-close\*/);
    expect(await h.countWorkflows()).toBe(before + 1);
  });
});

describe('/pantheon list, help, status, cancel', () => {
  it('lists only what the caller may run, by label too', async () => {
    const bob = await command('list', 'U_BOB');
    expect(bob.answer).toMatch(/`invoice-review` — Check a vendor invoice/);
    expect(bob.answer).toMatch(/`ops-report`/);
    expect(bob.answer).not.toMatch(/ledger-close/);
    const carol = await command('list finance', 'U_CAROL', 'C_FINANCE');
    expect(carol.answer).toMatch(/ledger-close/);
    expect(carol.answer).not.toMatch(/ops-report/); // C_OPS only
    const none = await command('list nothing-has-this');
    expect(none.answer).toMatch(/No workflow you may run has the label `nothing-has-this`/);
  });

  it('helps with the commands and with one workflow: inputs with types, defaults, required, and an example', async () => {
    const overview = await command('help', 'U_BOB');
    expect(overview.answer).toMatch(/\/pantheon run &lt;workflow&gt; key=value …/);
    expect(overview.answer).toMatch(/You can run:\* .*`invoice-review`, `ops-report`/);
    expect(overview.answer).not.toMatch(/ledger-close/);
    const one = await command('help invoice-review');
    expect(one.answer).toMatch(/"type":"header".*"text":"invoice-review"/);
    expect(one.answer).toMatch(/• `vendor` _string, required_ — vendor name/);
    expect(one.answer).toMatch(
      /• `currency` _USD \| EUR \| GBP, default \\"USD\\"_ — currency of the amount/,
    );
    expect(one.answer).toMatch(/• `reviewTimeoutHours` _number, default 24_/);
    expect(one.answer).toMatch(/`\/pantheon run invoice-review vendor=acme amount=1200 currency=EUR`/);
    const hidden = await command('help ledger-close', 'U_BOB');
    expect(hidden.answer).toMatch(/🔒/);
  });

  it('shows one run, lists the caller’s recent runs, and cancels a waiting run', async () => {
    const started = await command(`run invoice-review vendor=big-${Date.now()} amount=9000`, 'U_BOB');
    const workflowId = /`(invoice-review-s\w+)`/.exec(started.answer)![1]!;
    await h.slack.waitUntil(
      () =>
        h.slack.messages('C_OPS').some((m) => m.text.startsWith('⏸️ Waiting for a review'))
          ? true
          : undefined,
      10_000,
    );

    const one = await command(`status ${workflowId}`, 'U_BOB');
    expect(one.answer).toMatch(/⏳ Running · step 3 of 4 · waiting for a review/);
    expect(one.answer).toMatch(/\*Started by\*\\n<@U_BOB>/);
    const mine = await command('status', 'U_BOB');
    expect(mine.answer).toMatch(
      new RegExp(`Your recent runs\\*\\\\n• \`${workflowId}\` · \\*invoice-review\\* · ⏳ Running`),
    );

    const cancelled = await command(`cancel ${workflowId}`, 'U_BOB');
    expect(cancelled.answer).toMatch(/Cancellation requested for `invoice-review-s\w+`/);
    await expect(h.runs.handle(workflowId).result()).rejects.toThrow();
    const root = await h.slack.waitUntil(() =>
      h.slack
        .messages('C_OPS', { includeReplies: false })
        .find((m) => m.text.includes(workflowId) && m.text.startsWith('⏹️')),
    );
    expect(root.text).toMatch(/⏹️ Cancelled after/);
    const after = await command(`status ${workflowId}`, 'U_BOB');
    expect(after.answer).toMatch(/⏹️ Cancelled/);
    const again = await command(`cancel ${workflowId}`, 'U_BOB');
    expect(again.answer).toMatch(/has already ended \(cancelled\)/);
    const unknown = await command('status invoice-review-snothing');
    expect(unknown.answer).toMatch(/There is no run `invoice-review-snothing`/);
  });

  it('marks a failed run ❌ with the failure and its id', async () => {
    const { answer } = await command('run invoice-review vendor=sanctioned-co amount=5');
    const workflowId = /`(invoice-review-s\w+)`/.exec(answer)![1]!;
    await h.runs
      .handle(workflowId)
      .result()
      .catch(() => undefined);
    const root = await h.slack.waitUntil(() =>
      h.slack
        .messages('C_OPS', { includeReplies: false })
        .find((m) => m.text.includes(workflowId) && m.text.startsWith('❌')),
    );
    expect(JSON.stringify(root.blocks)).toMatch(
      /\*VendorBlocked\*: Vendor \\"sanctioned-co\\" is on the sanctions list/,
    );
    expect(JSON.stringify(root.blocks)).toContain(workflowId);
    const status = await command(`status ${workflowId}`);
    expect(status.answer).toMatch(/❌ Failed/);
    expect(status.answer).toMatch(/\*VendorBlocked\*: Vendor/);
  });
});
