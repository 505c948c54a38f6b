import { Client, Connection, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackMessage } from '@pantheon/local-slack';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';
import { actionHash } from '../approvals/action-hash';
import type { SignedVote } from '../approvals/models';
import { approvalRefusalsQuery, approvalVoteUpdate, legacyVoteSignal } from '../approvals/workflow/signals';
import { ApprovalStore } from '../approvals/store';
import { newVoteSigningKey, parseVoteSigningKey } from '../approvals/votes/keys';
import { describeFailure } from '../cli/failure';
import { progressQuery } from '../core/workflow/progress-contract';
import { decideAsOperator, openApproval } from './support/approvals';
import type { Stack } from './support/stack';
import { waitFor } from './support/wait';

// The bot's whole stack: real workers, the local Slack (approvers get their buttons there) and the
// bot's listeners behind those buttons.
let h: BotHarness;
let stack: Stack;
let store: ApprovalStore;
beforeAll(async () => {
  h = await startBotHarness();
  stack = h.stack;
  store = new ApprovalStore(stack.db);
});
afterAll(async () => {
  await h?.close();
});

const selfApproval = 'You started this run; someone else must approve it.';

const textOf = (m: SlackMessage) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

/** The approval DM `user` got for the invoice of `vendor`, with its buttons still on it. */
async function approvalDm(user: string, vendor: string): Promise<SlackMessage> {
  return h.slack.waitUntil(
    () =>
      h.slack
        .messages(user)
        .find((m) => textOf(m).includes(vendor) && textOf(m).includes('approvals.approve')),
    15_000,
  );
}

async function isWaiting(handle: WorkflowHandle): Promise<boolean> {
  const { status } = await handle.describe();
  return status.name === 'RUNNING' && (await handle.query(progressQuery)).state === 'waiting';
}

/** The reason the workflow gave for refusing an Update (its failure type). */
async function refusedByUpdate(send: Promise<unknown>): Promise<string> {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as { type?: string }).type ?? '';
}

describe('invoice-review through the client', () => {
  it('auto-approves a small invoice, running activities on the light and heavy tiers', async () => {
    const vendor = `small-${Date.now()}`;
    const run = await stack.runs.start('invoice-review', { vendor, amount: 20, currency: 'EUR' });
    expect(run.started).toBe(true);
    const result = await stack.runs.handle(run.workflowId).result();
    expect(result).toMatchObject({
      vendor,
      amount: 20,
      currency: 'EUR',
      risk: 'low',
      decision: 'auto-approved',
    });

    const history = await stack.runs.handle(run.workflowId).fetchHistory();
    const queues = history
      .events!.filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => [
        e.activityTaskScheduledEventAttributes!.activityType!.name,
        e.activityTaskScheduledEventAttributes!.taskQueue!.name,
      ]);
    const prefix = stack.config.TEMPORAL_TASK_QUEUE_PREFIX;
    expect(queues).toEqual([
      ['invoices.lookupVendor', `${prefix}-light`],
      ['invoices.assessRisk', `${prefix}-heavy`],
      ['invoices.record', `${prefix}-light`],
    ]);
    const { rows } = await stack.db.query('SELECT vendor, amount FROM ledger_entries WHERE vendor = $1', [
      vendor,
    ]);
    expect(rows).toEqual([{ vendor, amount: '20.00' }]);
  });

  it("asks the policy's reviewers on a risky invoice, answers the progress query, and a rejection changes its course", async () => {
    const vendor = `risky-${Date.now()}`;
    const run = await stack.runs.start(
      'invoice-review',
      { vendor, amount: 4200 },
      { startedBy: 'slack:U_ALICE' },
    );
    const handle = stack.runs.handle(run.workflowId);
    const waiting = await waitFor(async () => {
      const p = await handle.query(progressQuery);
      return p.state === 'waiting' ? p : undefined;
    }, 'the review step');
    expect(waiting).toMatchObject({
      step: 3,
      totalSteps: 4,
      current: 'Waiting for review',
      waitingFor: 'a review',
    });
    expect(waiting.steps.map((s) => s.name)).toEqual([
      'Looking up vendor',
      'Assessing risk',
      'Waiting for review',
    ]);

    // Who reviews is the policy's `workflows.invoice-review.approvers.review`, bound to this invoice.
    const requestId = await openApproval(stack, run.workflowId);
    expect(await store.get(requestId)).toMatchObject({
      status: 'pending',
      requestedBy: 'slack:U_ALICE',
      approvers: ['slack:U_BOB', 'email:carol@example.com'],
      actionName: 'invoices.record',
      actionArgs: { vendor, amount: 4200, currency: 'USD' },
      title: `Invoice: 4200.00 USD from ${vendor}`,
    });
    const dm = await approvalDm('U_BOB', vendor);
    expect(textOf(dm)).toContain('Risk: *high*');

    expect(await decideAsOperator(stack, 'ops', requestId, false, 'duplicate')).toMatchObject({ code: 0 });
    expect(await handle.result()).toMatchObject({
      decision: 'rejected',
      reviewedBy: 'cli:ops',
      note: 'duplicate',
      risk: 'high',
    });
    expect(await store.get(requestId)).toMatchObject({ status: 'rejected', decidedBy: 'cli:ops' });
    const { rows } = await stack.db.query('SELECT 1 FROM ledger_entries WHERE vendor = $1', [vendor]);
    expect(rows).toHaveLength(0);
  });

  it('has no review signal any more: the client refuses to send one', async () => {
    const run = await stack.runs.start('invoice-review', { vendor: `v-${Date.now()}`, amount: 5000 });
    await expect(
      stack.runs.signal(run.workflowId, 'review', { approve: true, reviewer: 'x' }),
    ).rejects.toThrow(/invoice-review has no signal "review"/);
    await stack.runs.cancel(run.workflowId);
  });

  it('cancels a waiting run', async () => {
    const run = await stack.runs.start('invoice-review', { vendor: `c-${Date.now()}`, amount: 9000 });
    await waitFor(
      async () => ((await stack.runs.progress(run.workflowId))?.state === 'waiting' ? true : undefined),
      'waiting',
    );
    await stack.runs.cancel(run.workflowId);
    await expect(stack.runs.handle(run.workflowId).result()).rejects.toThrow(WorkflowFailedError);
    expect((await stack.runs.status(run.workflowId)).status).toBe('CANCELLED');
  });

  it('reports the failure type and message of an activity that fails for good', async () => {
    const run = await stack.runs.start('invoice-review', { vendor: 'sanctioned-co', amount: 10 });
    const error = await stack.runs
      .handle(run.workflowId)
      .result()
      .catch((e: unknown) => e);
    expect(describeFailure(error)).toEqual({
      type: 'VendorBlocked',
      message: 'Vendor "sanctioned-co" is on the sanctions list',
    });
  });

  it('starts once per id: a repeated start returns the existing run', async () => {
    const workflowId = `idem-${Date.now()}`;
    const first = await stack.runs.start('invoice-review', { vendor: 'idem', amount: 1 }, { workflowId });
    const second = await stack.runs.start('invoice-review', { vendor: 'idem', amount: 1 }, { workflowId });
    expect(first.started).toBe(true);
    expect(second).toMatchObject({ started: false, runId: first.runId });
  });

  it('rejects invalid input before starting anything', async () => {
    await expect(stack.runs.start('invoice-review', { vendor: '', amount: -1 })).rejects.toThrow(
      /vendor.*amount|amount.*vendor/s,
    );
    await expect(stack.runs.start('invoice-reveiw', {})).rejects.toThrow(/Did you mean "invoice-review"/);
  });
});

describe("invoice-review decisions are signed, from the policy's reviewers only", () => {
  it("a review signal, the old vote signal and unsigned or foreign-signed Updates from a plain Temporal client change nothing; the policy's reviewer approves in Slack", async () => {
    const vendor = `forged-${Date.now()}`;
    const run = await stack.runs.start(
      'invoice-review',
      { vendor, amount: 9000, currency: 'EUR' },
      { startedBy: 'slack:U_ALICE' },
    );
    const requestId = await openApproval(stack, run.workflowId);
    const dm = await approvalDm('U_BOB', vendor);

    // Anyone with Temporal access (the run's own data converter, no signing key).
    const connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS });
    const outsider = new Client({ connection, namespace: stack.config.TEMPORAL_NAMESPACE });
    try {
      const handle = outsider.workflow.getHandle(run.workflowId);
      const { runId } = await handle.describe();
      const at = new Date().toISOString();
      // 1. What used to approve a risky invoice, and the old unsigned vote signal.
      await stack.client.workflow
        .getHandle(run.workflowId)
        .signal('review', { approve: true, reviewer: 'mallory' });
      await handle.signal(legacyVoteSignal, {
        requestId,
        approver: 'cli:mallory',
        approve: true,
        via: 'cli',
        at,
      });
      // 2. The decide Update unsigned, and signed with a key the workers do not know.
      const vote = {
        requestId,
        approver: 'slack:U_BOB',
        approve: true,
        via: 'slack' as const,
        actionHash: actionHash({
          name: 'invoices.record',
          args: { vendor, amount: 9000, currency: 'EUR' },
        }),
        at,
      };
      expect(
        await refusedByUpdate(
          handle.executeUpdate(approvalVoteUpdate, { args: [{ vote, runId } as unknown as SignedVote] }),
        ),
      ).toBe('malformed');
      expect(
        await refusedByUpdate(
          handle.executeUpdate('pantheon.approval.decide', {
            args: [
              parseVoteSigningKey(newVoteSigningKey('m1')).sign(runId, vote, new Date(Date.now() + 60_000)),
            ],
          }),
        ),
      ).toBe('bad-signature');

      // The run took all of it (a workflow task after the review signal) and is still waiting.
      await waitFor(async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        const signalled = events.findIndex(
          (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'review',
        );
        return signalled >= 0 && events.slice(signalled).some((e) => e.workflowTaskCompletedEventAttributes)
          ? true
          : undefined;
      }, 'a workflow task after the forged review signal');
      const refusals = await handle.query(approvalRefusalsQuery);
      // (The signal and the Updates may reach the run in either order.)
      expect(refusals.recent.map((r) => r.reason).sort()).toEqual([
        'bad-signature',
        'malformed',
        'unsigned-signal',
      ]);
      expect(await isWaiting(handle)).toBe(true);
      expect((await store.get(requestId))!.status).toBe('pending');
      const { rows } = await stack.db.query('SELECT 1 FROM ledger_entries WHERE vendor = $1', [vendor]);
      expect(rows).toHaveLength(0);
    } finally {
      await connection.close();
    }

    // Bob, the reviewer the policy names, approves with the button in his DM.
    const click = await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'U_BOB',
      messageTs: dm.ts,
      actionId: 'approvals.approve',
    });
    expect(click.status).toBe(200);
    const result = await stack.runs.handle(run.workflowId).result();
    expect(result).toMatchObject({
      vendor,
      amount: 9000,
      currency: 'EUR',
      risk: 'high',
      decision: 'approved',
      reviewedBy: 'slack:U_BOB',
      ledgerEntryId: expect.any(String),
    });
    expect(await store.get(requestId)).toMatchObject({
      status: 'approved',
      decidedBy: 'slack:U_BOB',
      decidedVia: 'slack',
    });
    const { rows } = await stack.db.query('SELECT vendor, amount FROM ledger_entries WHERE vendor = $1', [
      vendor,
    ]);
    expect(rows).toEqual([{ vendor, amount: '9000.00' }]);
  });

  it('the requester cannot approve their own invoice, from Slack or the CLI; someone else can', async () => {
    // Bob started it from #ops: the policy names him a reviewer, but not of his own run.
    const vendor = `own-${Date.now()}`;
    const own = await stack.runs.start(
      'invoice-review',
      { vendor, amount: 3000 },
      { startedBy: 'slack:U_BOB', memo: { slack: { channel: 'C_OPS' } } },
    );
    const ownRequest = await openApproval(stack, own.workflowId);
    expect((await store.get(ownRequest))!.approvers).toEqual(['email:carol@example.com']);
    // He gets no DM, and the card in the run's channel refuses him.
    const card = await h.slack.waitUntil(
      () =>
        h.slack
          .messages('C_OPS')
          .find((m) => textOf(m).includes(vendor) && textOf(m).includes('approvals.approve')),
      15_000,
    );
    expect(h.slack.messages('U_BOB').some((m) => textOf(m).includes(vendor))).toBe(false);
    const click = await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'C_OPS',
      messageTs: card.ts,
      actionId: 'approvals.approve',
    });
    await h.slack.waitUntil(() => click.responses().length > 0 || undefined);
    expect(click.responses()[0]!.body.text).toBe(selfApproval);
    expect(await isWaiting(stack.runs.handle(own.workflowId))).toBe(true);
    expect((await store.get(ownRequest))!.status).toBe('pending');
    await stack.runs.cancel(own.workflowId);

    // An operator who started a run from the CLI cannot approve it either; another operator can.
    const cli = await stack.runs.start(
      'invoice-review',
      { vendor: `${vendor}-cli`, amount: 3000 },
      { startedBy: 'cli:ops-oncall' },
    );
    const cliRequest = await openApproval(stack, cli.workflowId);
    expect(await decideAsOperator(stack, 'ops-oncall', cliRequest, true)).toEqual({
      code: 1,
      lines: [selfApproval],
    });
    expect(await isWaiting(stack.runs.handle(cli.workflowId))).toBe(true);
    expect((await store.get(cliRequest))!.status).toBe('pending');
    expect(await decideAsOperator(stack, 'ops-lead', cliRequest, true)).toMatchObject({ code: 0 });
    expect(await stack.runs.handle(cli.workflowId).result()).toMatchObject({
      decision: 'approved',
      reviewedBy: 'cli:ops-lead',
      ledgerEntryId: expect.any(String),
    });
  });
});
