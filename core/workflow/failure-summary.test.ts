import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { failureSummary } from './failure-summary';

describe('failureSummary', () => {
  it('says what failed by the deepest typed failure, not the untyped error it wraps', () => {
    const onWorker = new Error('Invalid input for activity invoices.lookupVendor: vendor: too small');
    const failure = ApplicationFailure.create({
      type: 'InvalidInput',
      message: onWorker.message,
      cause: onWorker,
    });
    const activity = new Error('Activity task failed', { cause: failure });
    expect(failureSummary(activity)).toEqual({ type: 'InvalidInput', message: onWorker.message });
  });

  it('falls back to the innermost error, and to the value itself', () => {
    expect(failureSummary(new Error('outer', { cause: new TypeError('inner') }))).toEqual({
      type: 'TypeError',
      message: 'inner',
    });
    expect(failureSummary('just a string')).toEqual({ type: 'Error', message: 'just a string' });
  });
});
