import { log } from '@temporalio/activity';
import type { z } from 'zod';
import type { Database } from '../../core/db/pool';
import type { Delivery } from '../../core/delivery/contract';
import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { askBudgetRaise, budgetDenyActionId, budgetRaiseActionId } from '../../core/workflow/budget-contract';
import type { BudgetAskRequest, BudgetButtonValue, budgetAskOutput } from '../../core/workflow/budget-contract';

/**
 * Posts the question "raise this run's LLM budget?" somewhere a person sees it; the answer comes
 * back as a signed `pantheon.budget.decide` Update (Slack buttons, `pantheon budget`). Must be
 * idempotent per `workflowId` + `seq`: the activity may be retried.
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
          howToAnswer: cliHint(request),
        });
      }
      return { ...answer, voteKeys: { ...voteKeys } };
    }),
  ];
}

export interface SlackBudgetAskOptions {
  readonly delivery: Delivery;
  /** Finds the run's root message (its thread); default: the `slack_messages` table. */
  readonly db?: Database;
  readonly findThread?: (rootWorkflowId: string) => Promise<{ channel: string; ts: string } | undefined>;
}

/**
 * The question as a message in the run's Slack thread, with Raise and Stop buttons (action_ids
 * `pantheon.budget.raise` / `pantheon.budget.deny`, value: `BudgetButtonValue` JSON; the bot
 * turns a click into a signed decision). Runs not
 * started from Slack are not asked here.
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
      channel,
      method: 'chat.postMessage',
      args: {
        channel,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs && { thread_ts: threadTs }),
        unfurl_links: false,
      },
      idempotencyKey: `${request.workflowId}/${request.runId}/budget-ask/${request.seq}`,
      runId: request.workflowId,
    });
    const ts = typeof response.ts === 'string' ? response.ts : undefined;
    return { asked: true, where: `${channel}/${ts ?? threadTs ?? ''}` };
  };
}

/** The Slack message: what the paused call needs, what was spent, and the two buttons. */
export function budgetQuestion(request: BudgetAskRequest): {
  text: string;
  blocks: Record<string, unknown>[];
} {
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
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${mention}⏸️ *LLM budget reached* — the next call would pass the cap: ${reasons}.\nSpent so far: ${spent}.`,
        },
      },
      {
        type: 'actions',
        block_id: `budget-${request.seq}`,
        elements: [
          {
            type: 'button',
            action_id: budgetRaiseActionId,
            style: 'primary',
            text: { type: 'plain_text', text: `Raise to ${raiseTo}`.slice(0, 75) },
            value: JSON.stringify(raise),
          },
          {
            type: 'button',
            action_id: budgetDenyActionId,
            style: 'danger',
            text: { type: 'plain_text', text: 'Stop' },
            value: JSON.stringify(stop),
          },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `From a terminal: \`${cliHint(request)}\`` }] },
    ],
  };
}

function cliHint(request: BudgetAskRequest): string {
  const suggested = Object.entries(request.status.pending?.suggested ?? {}).map(([k, v]) => `${k}=${v}`);
  return `pantheon budget ${request.workflowId} raise ${suggested.join(' ')}`.trimEnd();
}
