import type { BlockButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { parseBudgetButton } from '../../core/workflow/budget-contract';
import { sendBudgetDecision } from '../../tools/llm/send-budget-decision';
import { PantheonError } from '../../core/errors';
import type { BotContext, BotDeps } from '../deps';
import { describeRun, mayControl } from '../runs/describe';

/**
 * Raise / Stop under a run's "budget reached" question: the requester, an operator or one of the
 * run's approvers decides, and the answer reaches the paused run as a signed Update. The buttons
 * then give way to who decided.
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
        sendBudgetDecision(
          deps.runs.client,
          deps.signer,
          value.workflowId,
          raise
            ? {
                kind: 'raise',
                by,
                ...(value.maxTokens ? { maxTokens: value.maxTokens } : {}),
                ...(value.maxCostUsd ? { maxCostUsd: value.maxCostUsd } : {}),
              }
            : { kind: 'deny', by },
        ),
      );
      await respond({
        replace_original: true,
        text: raise
          ? `💸 <@${user}> raised the budget; the run goes on.`
          : `🛑 <@${user}> stopped the run at its budget.`,
      });
    } catch (error) {
      // The run's own refusal (not waiting any more, too late…) is said as is.
      if (error instanceof PantheonError) return void (await say(`Nothing changed: ${error.message}`));
      deps.logger.warn({ err: error, workflowId: value.workflowId }, 'budget decision failed');
      await say(`Could not reach the run: ${(error as Error).message}`);
    }
  };
}
