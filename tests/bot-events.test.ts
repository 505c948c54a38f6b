import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';

/** @mentions (runs in the thread, the assistant otherwise), Slack's redeliveries, and feedback reactions. */
let h: BotHarness;
let redis: Redis;
beforeAll(async () => {
  h = await startBotHarness();
  redis = new Redis(h.stack.config.REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await h?.close();
});

const idIn = (text: string): string => /\((invoice-review-s\w+)\)/.exec(text)![1]!;

async function finishedRunInThread(channel: string, threadTs: string) {
  const root = await h.slack.waitUntil(
    () => h.slack.thread(channel, threadTs).find((m) => m.bot_id && /^[⏳✅]/.test(m.text)),
    10_000,
  );
  await h.runs.handle(idIn(root.text)).result();
  const result = await h.slack.waitUntil(
    () => h.slack.thread(channel, threadTs).find((m) => m.text.startsWith('✅ invoice-review completed')),
    10_000,
  );
  return { workflowId: idIn(root.text), root, result };
}

describe('@pantheon', () => {
  it('runs a workflow from a mention and answers in its thread; a redelivered event starts nothing more', async () => {
    const before = await h.countWorkflows();
    const mention = await h.slack.appMention({
      user: 'U_ALICE',
      channel: 'C_GENERAL',
      text: `run invoice-review vendor=m-${Date.now()} amount=30`,
    });
    expect(mention.status).toBe(200);
    const { workflowId } = await finishedRunInThread('C_GENERAL', mention.ts!);

    // Slack retries: first the dedupe in Redis drops it, then (key gone) the workflow id refuses it.
    expect((await h.slack.redeliver(mention, { num: 1 })).status).toBe(200);
    await redis.del(`pantheon:slack:event:${mention.eventId}`);
    expect((await h.slack.redeliver(mention, { num: 2, reason: 'http_error' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.countWorkflows()).toBe(before + 1);
    const roots = h.slack
      .thread('C_GENERAL', mention.ts!)
      .filter((m) => m.bot_id && m.text.includes(workflowId) && /^[⏳✅]/.test(m.text));
    expect(roots).toHaveLength(1);
  });

  it('sends any other mention to the assistant, which answers in the thread with what it can do', async () => {
    const mention = await h.slack.appMention({ user: 'U_BOB', channel: 'C_OPS', text: 'what can you do?' });
    const reply = await h.slack.waitUntil(() => h.slack.thread('C_OPS', mention.ts!)[1], 10_000);
    expect(reply.bot_id).toBe('B_PANTHEON');
    expect(reply.text).toMatch(/Hi <@U_BOB>! I run workflows/);
    expect(reply.text).toMatch(/`invoice-review` — Check a vendor invoice/);
  });

  it('tells the mentioner, privately in the thread, what is wrong with the input', async () => {
    const before = await h.countWorkflows();
    const mention = await h.slack.appMention({
      user: 'U_CAROL',
      channel: 'C_FINANCE',
      text: 'run invoice-review amount=many vendor=x',
    });
    const warning = await h.slack.waitFor(
      'ephemeral_posted',
      (e) => e.ephemeral.user === 'U_CAROL' && e.ephemeral.thread_ts === mention.ts,
    );
    expect(warning.ephemeral.message.text).toMatch(
      /invoice-review was not started: amount: .*expected number/,
    );
    expect(await h.countWorkflows()).toBe(before);
  });
});

describe('feedback reactions', () => {
  it('stores 👍 on a result, ignores other reactions and duplicates, shows it in status, and retracts it when removed', async () => {
    const mention = await h.slack.appMention({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: `run invoice-review vendor=fb-${Date.now()} amount=12`,
    });
    const { workflowId, result } = await finishedRunInThread('C_OPS', mention.ts!);

    const added = await h.slack.addReaction({ user: 'U_BOB', channel: 'C_OPS', ts: result.ts, name: '+1' });
    await h.slack.addReaction({ user: 'U_BOB', channel: 'C_OPS', ts: result.ts, name: 'eyes' });
    await h.slack.redeliver(added);
    type Row = {
      slack_user: string;
      reaction: string;
      sentiment: string;
      workflow: string;
      retracted_at: Date | null;
    };
    const rows = async (): Promise<Row[]> =>
      (
        await h.stack.db.query<Row>(
          'SELECT slack_user, reaction, sentiment, workflow, retracted_at FROM feedback WHERE workflow_id = $1',
          [workflowId],
        )
      ).rows;
    await expect.poll(rows).toEqual([
      {
        slack_user: 'U_BOB',
        reaction: '+1',
        sentiment: 'positive',
        workflow: 'invoice-review',
        retracted_at: null,
      },
    ]);

    const status = await h.slack.slashCommand({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: `status ${workflowId}`,
    });
    expect(JSON.stringify((await h.answer(status)).body.blocks)).toMatch(
      /\*Feedback\*\\n👍 1 · 👎 0\\n<@U_BOB> :\+1:/,
    );

    await h.slack.removeReaction({ user: 'U_BOB', channel: 'C_OPS', ts: result.ts, name: '+1' });
    await expect.poll(async () => (await rows())[0]?.retracted_at).toBeInstanceOf(Date);
    const after = await h.slack.slashCommand({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: `status ${workflowId}`,
    });
    expect(JSON.stringify((await h.answer(after)).body.blocks)).toMatch(/\*Feedback\*\\n_none yet_/);
  });

  it('signals an open run with pantheon.feedback, and its retraction', async () => {
    const mention = await h.slack.appMention({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: `run invoice-review vendor=open-${Date.now()} amount=8000`,
    });
    const root = await h.slack.waitUntil(
      () =>
        h.slack
          .thread('C_OPS', mention.ts!)
          .find((m) => m.bot_id && m.text.startsWith('⏸️') && m.text.includes('— invoice-review (')),
      10_000,
    );
    const workflowId = idIn(root.text);
    const signals = async () => {
      const history = await h.runs.handle(workflowId).fetchHistory();
      return history.events!.filter(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'pantheon.feedback',
      ).length;
    };
    await h.slack.addReaction({ user: 'U_CAROL', channel: 'C_OPS', ts: root.ts, name: 'thumbsdown' });
    await expect.poll(signals, { timeout: 5000 }).toBe(1);
    await h.slack.removeReaction({ user: 'U_CAROL', channel: 'C_OPS', ts: root.ts, name: 'thumbsdown' });
    await expect.poll(signals, { timeout: 5000 }).toBe(2);
    await h.runs.cancel(workflowId);
  });

  it('applies a removal that overtook its addition in order: the late addition does not revive it', async () => {
    const mention = await h.slack.appMention({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: `run invoice-review vendor=order-${Date.now()} amount=11`,
    });
    const { workflowId, result } = await finishedRunInThread('C_OPS', mention.ts!);
    // Deliver the removal first, then the addition with its earlier event_ts.
    const event = (name: string, ts: string) => ({
      type: name,
      user: 'U_BOB',
      reaction: '-1',
      item: { type: 'message', channel: 'C_OPS', ts: result.ts },
      event_ts: ts,
    });
    await h.slack.deliverEvent(event('reaction_removed', '2000000000.000200'));
    await h.slack.deliverEvent(event('reaction_added', '2000000000.000100'));
    await new Promise((r) => setTimeout(r, 300));
    const { rows } = await h.stack.db.query('SELECT retracted_at FROM feedback WHERE workflow_id = $1', [
      workflowId,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].retracted_at).toBeInstanceOf(Date);
  });
});
