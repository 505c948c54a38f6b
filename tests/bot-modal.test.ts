import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';

/** Missing inputs open a form generated from the schema; its submission starts the run, once. */
let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
});

const rootOf = (workflowId: string, channel = 'C_OPS') =>
  h.slack.waitUntil(
    () => h.slack.messages(channel).find((m) => m.text.includes(workflowId) && /^[⏳✅]/.test(m.text)),
    10_000,
  );

describe('the run form', () => {
  it('opens for missing inputs, prefilled, with an element per type; bad values come back per field; a double submission starts one run', async () => {
    const vendor = `form-${Date.now()}`;
    const before = await h.countWorkflows();
    const command = await h.slack.slashCommand({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: `run invoice-review vendor=${vendor} currency=GBP`,
    });
    expect(command.status).toBe(200);
    const opened = await h.slack.waitFor('view_opened', (e) => e.user === 'U_ALICE');
    const { view } = opened;
    expect(view.callback_id).toBe('pantheon.run');
    expect(view.title).toMatchObject({ text: 'Run invoice-review' });
    const inputs = Object.fromEntries(
      view.blocks.filter((b) => b.type === 'input').map((b) => [b.block_id, b]),
    );
    expect(inputs['field:vendor']).toMatchObject({
      optional: false,
      element: { type: 'plain_text_input', initial_value: vendor },
    });
    expect(inputs['field:amount']).toMatchObject({
      optional: false,
      element: { type: 'number_input', is_decimal_allowed: true },
    });
    expect(inputs['field:currency']).toMatchObject({
      optional: true,
      element: { type: 'static_select', initial_option: { value: 'GBP' } },
    });
    expect(inputs['field:reviewTimeoutHours']).toMatchObject({
      optional: true,
      element: { type: 'number_input' },
    });

    const bad = await h.slack.submitView({
      user: 'U_ALICE',
      viewId: view.id,
      values: { 'field:amount': { value: '-3' } },
    });
    expect(bad.outcome).toBe('errors');
    expect(bad.errors).toEqual({ 'field:amount': expect.stringMatching(/Too small/) });
    const notANumber = await h.slack.submitView({
      user: 'U_ALICE',
      viewId: view.id,
      values: { 'field:amount': { value: 'lots' } },
    });
    expect(notANumber.errors).toEqual({ 'field:amount': 'expects a number' });
    expect(await h.countWorkflows()).toBe(before);

    const good = await h.slack.submitView({
      user: 'U_ALICE',
      viewId: view.id,
      values: { 'field:amount': { value: '15' } },
    });
    expect(good.outcome).toBe('closed');
    const answer = await h.answer(command);
    const workflowId = /as (invoice-review-s\w+)/.exec(String(answer.body.text))![1]!;
    expect(answer.body.text).toMatch(/Started invoice-review/);
    expect(await h.runs.handle(workflowId).result()).toMatchObject({ vendor, amount: 15, currency: 'GBP' });
    expect((await rootOf(workflowId)).text).toMatch(/invoice-review/);

    // Slack delivers the same submission again (a double click, a retry): same view id, same run.
    const again = await h.slack.redeliver(good);
    expect(again.status).toBe(200);
    await h.slack.waitUntil(() => command.responses().length >= 2 || undefined);
    expect(String(command.responses()[1]!.body.text)).toMatch(
      new RegExp(`had already started invoice-review as ${workflowId}`),
    );
    expect(await h.countWorkflows()).toBe(before + 1);
  });

  it('is offered as a button to a mention, whose run then reports in the mention’s thread', async () => {
    const vendor = `mention-form-${Date.now()}`;
    const mention = await h.slack.appMention({
      user: 'U_BOB',
      channel: 'C_OPS',
      text: `run invoice-review vendor=${vendor}`,
    });
    expect(mention.status).toBe(200);
    const offer = await h.slack.waitFor(
      'ephemeral_posted',
      (e) => e.ephemeral.user === 'U_BOB' && e.ephemeral.thread_ts === mention.ts,
    );
    expect(offer.ephemeral.message.text).toMatch(/invoice-review needs amount/);
    await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'C_OPS',
      messageTs: offer.ephemeral.ts,
      actionId: 'pantheon.open_run_form',
    });
    const { view } = await h.slack.waitFor('view_opened', (e) => e.user === 'U_BOB');
    expect(view.blocks.find((b) => b.block_id === 'field:vendor')).toMatchObject({
      element: { initial_value: vendor },
    });
    const submitted = await h.slack.submitView({
      user: 'U_BOB',
      viewId: view.id,
      values: { 'field:amount': { value: '7' } },
    });
    expect(submitted.outcome).toBe('closed');

    const root = await h.slack.waitUntil(
      () => h.slack.thread('C_OPS', mention.ts!).find((m) => m.bot_id && /^[⏳✅]/.test(m.text)),
      10_000,
    );
    const workflowId = /\((invoice-review-s\w+)\)/.exec(root.text)![1]!;
    await h.runs.handle(workflowId).result();
    await h.slack.waitUntil(
      () =>
        h.slack.thread('C_OPS', mention.ts!).some((m) => m.text.startsWith('✅ invoice-review completed')) ||
        undefined,
    );
    const confirmation = await h.slack.waitFor(
      'ephemeral_posted',
      (e) => e.ephemeral.user === 'U_BOB' && /Started/.test(e.ephemeral.message.text),
    );
    expect(confirmation.ephemeral.thread_ts).toBe(mention.ts);
  });
});
