import type { Client } from '@temporalio/client';
import type { VoteSigner } from '../approvals/votes/signer';
import { sendBudgetDecision } from '../tools/llm/send-budget-decision';
import type { BudgetDecisionInput } from '../tools/llm/send-budget-decision';
import { ErrorCode, PantheonError } from '../core/errors';
import type { CliIo } from './commands';

export const budgetUsage = `pantheon budget <run-id> raise maxTokens=N [maxCostUsd=USD] | deny [--comment REASON]`;

/** `raise maxTokens=20000 maxCostUsd=0.5` or `deny`: checked before anything reaches Temporal. */
export function parseBudgetDecision(
  args: readonly string[],
  operator: string,
  comment: string | undefined,
): BudgetDecisionInput {
  const [verb, ...rest] = args;
  const by = `cli:${operator}`;
  if (verb === 'deny') {
    if (rest.length)
      throw new PantheonError(
        ErrorCode.InvalidInput,
        `deny takes no caps (got ${rest.join(' ')}).\n${budgetUsage}`,
      );
    return { kind: 'deny', by, ...(comment ? { reason: comment.slice(0, 500) } : {}) };
  }
  if (verb !== 'raise') throw new PantheonError(ErrorCode.InvalidInput, `Say raise or deny.\n${budgetUsage}`);
  const caps: { maxTokens?: number; maxCostUsd?: number } = {};
  for (const arg of rest) {
    const [key, value, ...extra] = arg.split('=');
    const number = Number(value);
    if (extra.length || value === undefined || value === '' || !Number.isFinite(number) || number <= 0)
      throw new PantheonError(
        ErrorCode.InvalidInput,
        `"${arg}" is not a cap: write maxTokens=20000 or maxCostUsd=0.5.`,
      );
    if (key === 'maxTokens' && Number.isInteger(number)) caps.maxTokens = number;
    else if (key === 'maxCostUsd') caps.maxCostUsd = number;
    else
      throw new PantheonError(
        ErrorCode.InvalidInput,
        `"${arg}" is not a cap: write maxTokens=20000 (a whole number) or maxCostUsd=0.5.`,
      );
  }
  if (caps.maxTokens === undefined && caps.maxCostUsd === undefined)
    throw new PantheonError(
      ErrorCode.InvalidInput,
      `Give the new caps, e.g. raise maxTokens=20000.\n${budgetUsage}`,
    );
  return { kind: 'raise', by, ...caps };
}

/** Sends the signed decision; the run's refusal (not waiting, …) is the error message. */
export async function decideBudget(
  deps: { client: Client; signer: VoteSigner },
  io: CliIo,
  workflowId: string,
  decision: BudgetDecisionInput,
): Promise<number> {
  const receipt = await sendBudgetDecision(deps.client, deps.signer, workflowId, decision);
  const caps = [
    receipt.maxTokens !== undefined ? `${receipt.maxTokens.toLocaleString('en-US')} tokens` : undefined,
    receipt.maxCostUsd !== undefined ? `$${receipt.maxCostUsd.toFixed(4)}` : undefined,
  ].filter(Boolean);
  io.out(
    receipt.kind === 'raise'
      ? `Budget of ${workflowId} raised${caps.length ? ` to ${caps.join(', ')}` : ''}; the run goes on.`
      : `Budget raise denied; ${workflowId} stops at its budget.`,
  );
  return 0;
}
