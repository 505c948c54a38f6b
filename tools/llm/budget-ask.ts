import { log } from '@temporalio/activity';
import type { z } from 'zod';
import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { askBudgetRaise } from './budget-contract';
import type { BudgetAskRequest, budgetAskOutput } from './budget-contract';

/**
 * Posts the question "raise this run's LLM budget?" somewhere a person sees it (the Slack side:
 * a message with Raise / Deny buttons in the run's thread, whose clicks become the
 * `pantheon.budget.raise` / `pantheon.budget.deny` signals). Must be idempotent per
 * `workflowId` + `seq`: the activity may be retried.
 */
export type BudgetAskHandler = (request: BudgetAskRequest) => Promise<z.input<typeof budgetAskOutput>>;

export interface BudgetAskDependencies {
  /** Unset: nobody is asked; the paused run waits for a signal from the CLI, the bot or the Temporal UI. */
  readonly ask?: BudgetAskHandler;
}

export function createBudgetAskActivities({ ask }: BudgetAskDependencies = {}): ActivityImplementation[] {
  return [
    implementActivity(askBudgetRaise, async (request) => {
      if (ask) return ask(request);
      const { workflowId, status } = request;
      log.warn('LLM budget reached; no budget prompt is wired, so nobody was asked', {
        workflowId,
        reasons: status.pending?.reasons,
        howToAnswer: `pantheon signal ${workflowId} ${request.signals.raise} '{"maxTokens":${status.pending?.suggested.maxTokens ?? 'N'},"by":"cli:you"}'`,
      });
      return { asked: false };
    }),
  ];
}
