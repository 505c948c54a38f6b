import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import type { BudgetAskRequest } from '../../core/workflow/budget-contract';
import { budgetCliHint } from '../../core/workflow/budget-contract';
import { createBudgetAskActivities } from './budget-ask';
import type { BudgetAskHandler } from './budget-ask';
import { pausedBudgetAskRequest } from './testing/budget-ask-request';

const voteKeys = { k1: 'ab'.repeat(32) };

const request = pausedBudgetAskRequest();

function askActivity(ask?: BudgetAskHandler, logged: LogEntry[] = []) {
  const [activity] = createBudgetAskActivities({ ask, voteKeys });
  const logger = new DefaultLogger('WARN', (entry) => void logged.push(entry));
  return (input: BudgetAskRequest) => new MockActivityEnvironment({}, { logger }).run(activity!.run, input);
}

describe('the budget.askRaise activity', () => {
  it('asks through the injected handler and hands the run the keys decisions are checked with', async () => {
    const asked: BudgetAskRequest[] = [];
    const logged: LogEntry[] = [];
    const run = askActivity(async (r) => (asked.push(r), { asked: true, where: 'C1/1.2' }), logged);
    expect(await run(request)).toEqual({ asked: true, where: 'C1/1.2', voteKeys });
    expect(asked).toEqual([request]);
    expect(logged).toEqual([]);
  });

  it('without a handler (or when it could not ask) still returns the keys: the run waits for the CLI', async () => {
    const logged: LogEntry[] = [];
    expect(await askActivity(undefined, logged)(request)).toEqual({ asked: false, voteKeys });
    expect(await askActivity(async () => ({ asked: false }), logged)(request)).toEqual({
      asked: false,
      voteKeys,
    });
    expect(logged.map((entry): unknown => entry.meta?.howToAnswer)).toEqual([
      'pantheon budget agent-1 raise maxTokens=2050',
      'pantheon budget agent-1 raise maxTokens=2050',
    ]);
    expect(budgetCliHint(request)).toBe('pantheon budget agent-1 raise maxTokens=2050');
  });
});
