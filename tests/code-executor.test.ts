import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityRegistry } from '../core/registry/activity-registry';
import { createActivityRegistry } from '../worker/activities';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

/**
 * The code executor as the worker loads it (found by folder, the logic catalogue from
 * workflows/<area>/logic/): a workflow runs a business-logic function through code.execute on the
 * heavy tier's queue, and failures leave the activity as the non-retryable Temporal failures a
 * workflow sees.
 */
describe('code executor in the worker', () => {
  let stack: Stack;
  let activities: ActivityRegistry;
  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorkers(['light', 'heavy']);
    activities = await createActivityRegistry({ config: stack.config, db: stack.db });
  });
  afterAll(async () => {
    await activities?.close();
    await stack?.close();
  });

  it('runs the late-fee sample: the function on the heavy tier, from a workflow', async () => {
    const run = await stack.runs.start('invoice-late-fee', { amount: 1200, currency: 'EUR', daysLate: 40 });
    const handle = stack.runs.handle(run.workflowId);
    expect(await handle.result()).toEqual({
      fee: 36,
      currency: 'EUR',
      periods: 2,
      capped: false,
      explanation: '2 started 30-day period(s) after 5 grace days at 1.5% of 1200 EUR.',
    });
    const history = await handle.fetchHistory();
    const scheduled = history.events!.flatMap((e) => {
      const a = e.activityTaskScheduledEventAttributes;
      return a ? [[a.activityType!.name, a.taskQueue!.name]] : [];
    });
    expect(scheduled).toEqual([['code.execute', `${stack.config.TEMPORAL_TASK_QUEUE_PREFIX}-heavy`]]);
  });

  it('is on the heavy tier only, hidden from agents as itself', () => {
    expect(activities.get('code.execute').spec).toMatchObject({ tier: 'heavy', agentCallable: false });
    expect(Object.keys(activities.forTier('heavy'))).toContain('code.execute');
    expect(Object.keys(activities.forTier('light'))).not.toContain('code.execute');
  });

  it('fails an unknown name and bad input for good, with close names and the bad field', async () => {
    // As the heavy worker calls it: in an activity context (it heartbeats while the thread runs).
    const run = activities.forTier('heavy')['code.execute']!;
    const logger = new DefaultLogger('ERROR', () => undefined);
    const execute = (input: unknown) => new MockActivityEnvironment({}, { logger }).run(run, input);
    const unknown: unknown = await execute({
      function: 'invoices/logic/late-fee.computeLatFee',
      input: {},
    }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ApplicationFailure);
    expect(unknown).toMatchObject({
      type: 'UnknownLogic',
      message: expect.stringMatching(/Did you mean "invoices\/logic\/late-fee\.computeLateFee"\?/),
    });
    const bad: unknown = await execute({
      function: 'invoices/logic/late-fee.computeLateFee',
      input: { amount: -1, daysLate: 3 },
    }).catch((e: unknown) => e);
    expect(bad).toMatchObject({
      type: 'InvalidInput',
      message: expect.stringMatching(/^Invalid input of invoices\/logic\/late-fee\.computeLateFee: amount: /),
    });
    const { nonRetryableErrorTypes } = activities.get('code.execute').spec.retry;
    expect(nonRetryableErrorTypes).toEqual(
      expect.arrayContaining([
        'UnknownLogic',
        'InvalidInput',
        'InvalidOutput',
        'LogicFunctionFailed',
        'LogicFunctionTimedOut',
        'LogicFunctionOutOfMemory',
      ]),
    );
  });
});
