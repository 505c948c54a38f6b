import type { Database } from '../../core/db/pool';
import type { Delivery } from '../../core/delivery/contract';
import { budgetCliHint, budgetDenyActionId, budgetRaiseActionId } from '../../core/workflow/budget-contract';
import type { BudgetAskRequest, BudgetButtonValue } from '../../core/workflow/budget-contract';
import type { BudgetAskHandler } from '../llm/budget-ask';
import { actions, button, context, section } from './blocks/kit';
import type { SlackMessage } from './blocks/kit';
import { postMessage } from './post-message';

export interface SlackBudgetAskOptions {
  readonly delivery: Delivery;
  /** Finds the run's root message (its thread); default: the `slack_messages` table. */
  readonly db?: Database;
  readonly findThread?: (rootWorkflowId: string) => Promise<{ channel: string; ts: string } | undefined>;
}

/**
 * The `ask` of the `budget.askRaise` activity (tools/llm/budget-ask.ts): the question as a message
 * in the run's Slack thread, with Raise and Stop buttons (action_ids `pantheon.budget.raise` /
 * `pantheon.budget.deny`, value: `BudgetButtonValue` JSON; the bot turns a click into a signed
 * decision). Runs not started from Slack are not asked here.
 */
export function slackBudgetAsk(options: SlackBudgetAskOptions): BudgetAskHandler {
  const findThread =
    options.findThread ??
    (async (workflowId: string) => {
      if (!options.db) return undefined;
      const { rows } = await options.db.query<{ channel: string; ts: string }>(
        `SELECT channel, ts FROM slack_messages WHERE workflow_id = $1 AND kind = 'root' ORDER BY created_at LIMIT 1`,
        [workflowId],
      );
      return rows[0];
    });
  return async (request) => {
    if (!request.slack) return { asked: false };
    const root = await findThread(request.rootWorkflowId);
    const channel = root?.channel ?? request.slack.channel;
    const threadTs = request.slack.threadTs ?? root?.ts;
    const message = budgetQuestion(request);
    const response = await options.delivery.send({
      ...postMessage(channel, message, threadTs),
      idempotencyKey: `${request.workflowId}/${request.runId}/budget-ask/${request.seq}`,
      runId: request.workflowId,
    });
    const ts = typeof response.ts === 'string' ? response.ts : undefined;
    return { asked: true, where: `${channel}/${ts ?? threadTs ?? ''}` };
  };
}

/** The Slack message: what the paused call needs, what was spent, and the two buttons. */
export function budgetQuestion(request: BudgetAskRequest): SlackMessage {
  const { status } = request;
  const suggested = status.pending?.suggested ?? {};
  const reasons = status.pending?.reasons.join(', ') ?? 'the cap is reached';
  const mention = request.slack?.user ? `<@${request.slack.user}> ` : '';
  const spent = `${status.totalTokens.toLocaleString('en-US')} tokens, $${status.costUsd.toFixed(4)} in ${status.calls} call${status.calls === 1 ? '' : 's'}`;
  const raiseTo = [
    suggested.maxTokens !== undefined ? `${suggested.maxTokens.toLocaleString('en-US')} tokens` : '',
    suggested.maxCostUsd !== undefined ? `$${suggested.maxCostUsd.toFixed(2)}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const raise: BudgetButtonValue = { workflowId: request.workflowId, ...suggested };
  const stop: BudgetButtonValue = { workflowId: request.workflowId };
  const text = `${mention}⏸️ Paused: the next LLM call would pass this run's budget (${reasons}). Raise it to ${raiseTo}?`;
  return {
    text,
    blocks: [
      section(
        `${mention}⏸️ *LLM budget reached* — the next call would pass the cap: ${reasons}.\nSpent so far: ${spent}.`,
      ),
      actions(
        [
          button({
            actionId: budgetRaiseActionId,
            style: 'primary',
            text: `Raise to ${raiseTo}`,
            value: JSON.stringify(raise),
          }),
          button({
            actionId: budgetDenyActionId,
            style: 'danger',
            text: 'Stop',
            value: JSON.stringify(stop),
          }),
        ],
        `budget-${request.seq}`,
      ),
      context(`From a terminal: \`${budgetCliHint(request)}\``),
    ],
  };
}
