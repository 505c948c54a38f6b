import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../cli/failure';
import { progressQuery } from '../core/workflow/progress-contract';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { waitFor } from './support/wait';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

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

  it('waits for a review on a risky invoice, answers the progress query, and a reject signal changes its course', async () => {
    const vendor = `risky-${Date.now()}`;
    const run = await stack.runs.start('invoice-review', { vendor, amount: 4200 });
    const handle = stack.runs.handle(run.workflowId);
    const waiting = await waitFor(async () => {
      const p = await handle.query(progressQuery);
      return p.state === 'waiting' ? p : undefined;
    }, 'the review step');
    expect(waiting).toMatchObject({ step: 3, totalSteps: 4, current: 'Waiting for review' });
    expect(waiting.steps.map((s) => s.name)).toEqual([
      'Looking up vendor',
      'Assessing risk',
      'Waiting for review',
    ]);

    await stack.runs.signal(run.workflowId, 'review', { approve: false, reviewer: 'bob', note: 'duplicate' });
    expect(await handle.result()).toMatchObject({
      decision: 'rejected',
      reviewedBy: 'bob',
      note: 'duplicate',
      risk: 'high',
    });
    const { rows } = await stack.db.query('SELECT 1 FROM ledger_entries WHERE vendor = $1', [vendor]);
    expect(rows).toHaveLength(0);
  });

  it('refuses a signal with a bad payload, naming the field', async () => {
    const run = await stack.runs.start('invoice-review', { vendor: `v-${Date.now()}`, amount: 5000 });
    await expect(stack.runs.signal(run.workflowId, 'review', { approve: 'maybe' })).rejects.toThrow(
      /approve/,
    );
    await expect(stack.runs.signal(run.workflowId, 'nope', {})).rejects.toThrow(
      /has no signal "nope".*review/,
    );
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
