import { log } from '@temporalio/activity';
import type { z } from 'zod';
import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { askBudgetRaise, budgetCliHint } from '../../core/workflow/budget-contract';
import type { BudgetAskRequest, budgetAskOutput } from '../../core/workflow/budget-contract';

/**
 * Posts the question "raise this run's LLM budget?" somewhere a person sees it; the answer comes
 * back as a signed `pantheon.budget.decide` Update (Slack buttons, `pantheon budget`). Must be
 * idempotent per `workflowId` + `seq`: the activity may be retried. The Slack one is
 * `slackBudgetAsk` (tools/slack/budget-question.ts).
 */
export type BudgetAskHandler = (request: BudgetAskRequest) => Promise<z.input<typeof budgetAskOutput>>;

export interface BudgetAskDependencies {
  /** Unset: nobody is asked; the paused run waits for a decision from the CLI. */
  readonly ask?: BudgetAskHandler;
  /** The keys whose signed decisions runs accept (APPROVAL_VOTE_VERIFY_KEYS, as for votes). */
  readonly voteKeys: Readonly<Record<string, string>>;
}

export function createBudgetAskActivities({
  ask,
  voteKeys,
}: BudgetAskDependencies): ActivityImplementation[] {
  return [
    implementActivity(askBudgetRaise, async (request) => {
      const answer = ask ? await ask(request) : { asked: false };
      if (!answer.asked) {
        log.warn('LLM budget reached and nobody could be asked in Slack: answer from a terminal', {
          workflowId: request.workflowId,
          reasons: request.status.pending?.reasons,
          howToAnswer: budgetCliHint(request),
        });
      }
      return { ...answer, voteKeys: { ...voteKeys } };
    }),
  ];
}
