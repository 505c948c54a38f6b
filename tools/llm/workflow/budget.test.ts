import { describe, expect, it } from 'vitest';
import {
  charge,
  createBudget,
  estimateTokens,
  exceededLimits,
  raiseLimits,
  remaining,
  wouldExceed,
} from './budget';

describe('budget', () => {
  it('starts empty and charges results without mutating the old state', () => {
    const start = createBudget({ maxTokens: 1000, maxCostUsd: 0.05 });
    const after = charge(start, { usage: { totalTokens: 400 }, costUsd: 0.02 });
    expect(start).toEqual({ maxTokens: 1000, maxCostUsd: 0.05, usedTokens: 0, usedCostUsd: 0, calls: 0 });
    expect(after).toEqual({
      maxTokens: 1000,
      maxCostUsd: 0.05,
      usedTokens: 400,
      usedCostUsd: 0.02,
      calls: 1,
    });
    expect(remaining(after)).toEqual({ tokens: 600, costUsd: 0.03 });
  });

  it('says when an estimate would pass a limit, and which', () => {
    const budget = charge(createBudget({ maxTokens: 1000, maxCostUsd: 0.05 }), {
      tokens: 900,
      costUsd: 0.04,
    });
    expect(wouldExceed(budget, { tokens: 100, costUsd: 0.01 })).toBe(false); // exactly at the limits
    expect(wouldExceed(budget, { tokens: 101 })).toBe(true);
    expect(wouldExceed(budget, { costUsd: 0.0100001 })).toBe(true);
    expect(exceededLimits(budget, { tokens: 200, costUsd: 0.02 })).toEqual([
      'tokens 1100 of 1000',
      'cost $0.0600 of $0.0500',
    ]);
  });

  it('has no limit where none was set', () => {
    const budget = createBudget({ maxCostUsd: 1 });
    expect(wouldExceed(budget, { tokens: 10_000_000 })).toBe(false);
    expect(wouldExceed(createBudget(), { tokens: 1e9, costUsd: 1e6 })).toBe(false);
    expect(remaining(budget)).toEqual({ costUsd: 1 });
  });

  it('adds small costs without float noise', () => {
    let budget = createBudget({ maxCostUsd: 0.3 });
    budget = charge(budget, { costUsd: 0.1 });
    budget = charge(budget, { costUsd: 0.2 });
    expect(budget.usedCostUsd).toBe(0.3);
    expect(wouldExceed(budget)).toBe(false);
  });

  it('raises limits after an approval, and is plain JSON for workflow state', () => {
    const spent = charge(createBudget({ maxCostUsd: 0.01 }), { costUsd: 0.01 });
    expect(wouldExceed(spent, { costUsd: 0.005 })).toBe(true);
    const raised = raiseLimits(spent, { maxCostUsd: 0.05 });
    expect(wouldExceed(raised, { costUsd: 0.005 })).toBe(false);
    expect(JSON.parse(JSON.stringify(raised))).toEqual(raised);
  });

  it('rejects negative limits and estimates tokens from text', () => {
    expect(() => createBudget({ maxTokens: -1 })).toThrow(/maxTokens/);
    expect(estimateTokens('12345678')).toBe(2);
  });
});
