import type { BlockButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import {
  budgetDenySignalName,
  budgetRaiseSignalName,
  parseBudgetButton,
} from '../../tools/llm/budget-contract';
import type { BotContext, BotDeps } from '../deps';
import { describeRun, mayControl } from '../runs/describe';

/**
 * Raise / Stop under a run's "budget reached" question: the requester, an operator or one of the
 * run's approvers decides, and the answer reaches the paused run as a signal. The buttons then
 * give way to who decided.
 */
export function budgetDecision(
  deps: BotDeps,
  raise: boolean,
): Middleware<SlackActionMiddlewareArgs<BlockButtonAction>, BotContext> {
  return async ({ ack, action, body, context, respond }) => {
    await ack();
    const value = parseBudgetButton(action.value);
    const user = body.user.id;
    if (!value) return;
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    try {
      const status = await describeRun(deps, value.workflowId);
      if (!context.caller || !(await mayControl(deps, status, context.caller))) {
        await say(
          '🔒 Only whoever started this run, one of its approvers, or an operator (the `operators` role in the policy file) can change its budget.',
        );
        return;
      }
      if (status.status !== 'RUNNING') {
        await say(`That run is no longer running (${status.status.toLowerCase()}).`);
        return;
      }
      const by = `slack:${user}`;
      await deps.temporal(() =>
        raise
          ? deps.runs.handle(value.workflowId).signal(budgetRaiseSignalName, {
              ...(value.maxTokens ? { maxTokens: value.maxTokens } : {}),
              ...(value.maxCostUsd ? { maxCostUsd: value.maxCostUsd } : {}),
              by,
            })
          : deps.runs.handle(value.workflowId).signal(budgetDenySignalName, { by }),
      );
      await respond({
        replace_original: true,
        text: raise
          ? `💸 <@${user}> raised the budget; the run goes on.`
          : `🛑 <@${user}> stopped the run at its budget.`,
      });
    } catch (error) {
      deps.logger.warn({ err: error, workflowId: value.workflowId }, 'budget decision failed');
      await say(`Could not reach the run: ${(error as Error).message}`);
    }
  };
}
