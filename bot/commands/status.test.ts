import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { commandKit, testTime } from '../testing/fakes';
import { status } from './status';

const id = 'invoice-review-s0123456789a';
const later = new Date(testTime.getTime() + 90_000);

describe('status <run-id>', () => {
  it('a running run: its step, who started it, feedback, approvals and the Temporal link', async () => {
    const kit = commandKit({ approvalLines: { [id]: ['review: pending, asked <@U_BOB>'] } });
    kit.runs.add(id, {
      workflow: 'invoice-review',
      startedBy: 'slack:U_ALICE',
      progress: {
        state: 'running',
        step: 2,
        totalSteps: 4,
        current: 'Assessing risk',
        startedAt: testTime.toISOString(),
        steps: [],
      },
    });
    kit.feedback.entries.set(id, [{ user: 'U_BOB', reaction: '+1', sentiment: 'positive', at: testTime }]);
    await status(kit.ctx, id);

    expect(kit.replies[0]!.text).toBe(`invoice-review ${id}: RUNNING`);
    const seen = kit.lastShown();
    expect(seen).toContain(`*invoice-review* · \`${id}\`\n⏳ Running · step 2 of 4 · Assessing risk`);
    expect(seen).toContain('*Started by*\n<@U_ALICE>');
    expect(seen).toContain('*Feedback*\n👍 1 · 👎 0\n<@U_BOB> :+1:');
    expect(seen).toContain('*Approvals*\n• review: pending, asked &lt;@U_BOB&gt;');
    expect(seen).toContain(`<https://temporal.test/workflows/${id}/run-1|Open in Temporal>`);
    expect(kit.runs.calls).toEqual([
      { method: 'describe', workflowId: id, bounded: true },
      { method: 'progress', workflowId: id, bounded: true },
    ]);
  });

  it('a closed run is not queried (that needs a worker to replay it): state and duration only', async () => {
    const kit = commandKit();
    kit.runs.add(id, {
      workflow: 'invoice-review',
      startedBy: 'slack:U_ALICE',
      status: 'COMPLETED',
      closeTime: later,
    });
    await status(kit.ctx, id);
    expect(kit.runs.methods()).toEqual(['describe']);
    expect(kit.lastShown()).toContain('✅ Completed');
    expect(kit.lastShown()).toContain('*Took*\n');
    expect(kit.lastShown()).toContain('*Feedback*\n_none yet_');
  });

  it('a failed run: the innermost cause of its failure', async () => {
    const kit = commandKit();
    kit.runs.add(id, {
      workflow: 'invoice-review',
      startedBy: 'slack:U_ALICE',
      status: 'FAILED',
      closeTime: later,
      failure: new WorkflowFailedError(
        'Workflow execution failed',
        ApplicationFailure.nonRetryable('vendor acme is blocked', 'VendorBlocked'),
        'NON_RETRYABLE_FAILURE',
      ),
    });
    await status(kit.ctx, id);
    expect(kit.lastShown()).toContain('❌ Failed');
    expect(kit.lastShown()).toContain('*VendorBlocked*: vendor acme is blocked');
    expect(kit.runs.calls).toEqual([
      { method: 'describe', workflowId: id, bounded: true },
      { method: 'result', workflowId: id, bounded: true },
    ]);
  });

  it('an unknown run id says there is none, and how to find yours', async () => {
    const kit = commandKit();
    await kit.send('status nope-1');
    expect(kit.lastShown()).toBe('⚠️ There is no run `nope-1`. `/pantheon status` lists your recent runs.');
    expect(kit.runs.methods()).toEqual(['describe']);
  });

  it("someone else's run of a workflow the caller may run is visible", async () => {
    const kit = commandKit({ user: 'U_BOB' });
    kit.runs.add(id, { workflow: 'invoice-review', startedBy: 'slack:U_ALICE' });
    await kit.send(`status ${id}`);
    expect(kit.lastShown()).toContain('*Started by*\n<@U_ALICE>');
  });

  it("someone else's run of a workflow the caller may not run: refused, nothing about it shown", async () => {
    const kit = commandKit({ user: 'U_BOB' });
    kit.runs.add('expense-approval-s1', {
      workflow: 'expense-approval',
      startedBy: 'slack:U_ALICE',
      status: 'FAILED',
      failure: new Error('secret detail'),
    });
    await kit.send('status expense-approval-s1');
    expect(kit.replies).toHaveLength(1);
    expect(kit.lastShown()).toBe(
      "🔒 `expense-approval-s1` is a run of `expense-approval`, which you can't run here.",
    );
    expect(kit.runs.methods()).toEqual(['describe']);
  });

  it('an approver of the run may look at it even without running rights', async () => {
    const kit = commandKit({ user: 'U_BOB', approvers: { 'expense-approval-s1': ['slack:U_BOB'] } });
    kit.runs.add('expense-approval-s1', { workflow: 'expense-approval', startedBy: 'slack:U_ALICE' });
    await kit.send('status expense-approval-s1');
    expect(kit.replies[0]!.text).toBe('expense-approval expense-approval-s1: RUNNING');
  });

  it('Temporal unreachable: a clear message', async () => {
    const kit = commandKit();
    kit.runs.unreachable();
    await kit.send(`status ${id}`);
    expect(kit.lastShown()).toMatch(/^⚠️ Pantheon cannot reach Temporal right now/);
    expect(kit.runs.calls).toEqual([{ method: 'describe', workflowId: id, bounded: true }]);
  });
});

describe('status (recent runs)', () => {
  async function startedTwo() {
    const kit = commandKit();
    await kit.send('run invoice-review vendor=acme amount=5');
    await kit.runLog.record({
      workflowId: 'expense-approval-sgone',
      runId: 'r0',
      workflow: 'expense-approval',
      startedBy: 'slack:U_ALICE',
      channel: 'C_OPS',
    });
    await kit.runLog.record({
      workflowId: 'invoice-review-sbob',
      runId: 'r9',
      workflow: 'invoice-review',
      startedBy: 'slack:U_BOB',
      channel: 'C_OPS',
    });
    return kit;
  }

  it("the caller's runs from the runs table, each with its state; one Temporal no longer knows says so", async () => {
    const kit = await startedTwo();
    const [started] = kit.runs.starts;
    await kit.send('status');
    const seen = kit.lastShown();
    expect(seen).toMatch(
      new RegExp(`• \`${started!.options.workflowId}\` · \\*invoice-review\\* · ⏳ Running · <!date\\^`),
    );
    expect(seen).toContain('• `expense-approval-sgone` · *expense-approval* · ❔ unknown to Temporal');
    expect(seen).not.toContain('invoice-review-sbob');
  });

  it('none yet', async () => {
    const kit = commandKit();
    await kit.send('status');
    expect(kit.lastShown()).toBe(
      'You have not started any run from Slack yet. `/pantheon list` shows what you can run.',
    );
  });

  it('Temporal unreachable: a clear message, not a list of "unknown" runs', async () => {
    const kit = await startedTwo();
    kit.runs.unreachable();
    await kit.send('status');
    expect(kit.lastShown()).toMatch(/^⚠️ Pantheon cannot reach Temporal right now/);
    expect(kit.replies.at(-1)!.text).not.toContain('unknown to Temporal');
  });
});
