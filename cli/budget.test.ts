import { describe, expect, it } from 'vitest';
import { parseBudgetDecision } from './budget';

describe('pantheon budget arguments', () => {
  it('reads a raise with its caps and a denial with its reason, as the operator', () => {
    expect(parseBudgetDecision(['raise', 'maxTokens=20000', 'maxCostUsd=0.5'], 'ops', undefined)).toEqual({
      kind: 'raise',
      by: 'cli:ops',
      maxTokens: 20_000,
      maxCostUsd: 0.5,
    });
    expect(parseBudgetDecision(['deny'], 'ops', 'too expensive')).toEqual({
      kind: 'deny',
      by: 'cli:ops',
      reason: 'too expensive',
    });
  });

  it.each([
    [['raise'], /Give the new caps/],
    [['raise', 'maxTokens=lots'], /"maxTokens=lots" is not a cap/],
    [['raise', 'maxTokens=1.5'], /a whole number/],
    [['raise', 'maxTokens=-5'], /is not a cap/],
    [['raise', 'budget=5'], /"budget=5" is not a cap/],
    [['deny', 'maxTokens=5'], /deny takes no caps/],
    [['approve'], /Say raise or deny/],
  ])('refuses %j with a message that says what to type', (args, message) => {
    expect(() => parseBudgetDecision(args, 'ops', undefined)).toThrow(message);
  });
});
