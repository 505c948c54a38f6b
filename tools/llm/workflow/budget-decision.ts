/**
 * Signed budget decisions, inside the workflow sandbox: the exact bytes signed and their check.
 * Same keys as approval votes (approvals/votes/), a different first field, so a signature made
 * for one can never pass as the other. The signing side is ./send-budget-decision.ts.
 */
import { hexToBytes } from '@noble/curves/utils.js';
import { verifyEd25519 } from '../../../approvals/votes/workflow/verify';
import type { BudgetDecision, SignedBudgetDecision } from '../../../core/workflow/budget-contract';

/** A JSON array, so no field can bleed into another. Binds the run, the decision, who and both times. */
export function budgetDecisionMessage(
  runId: string,
  decision: BudgetDecision,
  expiresAt: string,
): Uint8Array {
  const fields = [
    'pantheon.budget.decision.v1',
    runId,
    decision.kind,
    decision.by,
    decision.kind === 'raise' ? (decision.maxTokens ?? null) : null,
    decision.kind === 'raise' ? (decision.maxCostUsd ?? null) : null,
    decision.kind === 'deny' ? (decision.reason ?? null) : null,
    decision.at,
    expiresAt,
  ];
  return new TextEncoder().encode(JSON.stringify(fields));
}

/** True when `signed` carries a valid signature by one of `keys` (key id → Ed25519 public key, hex). */
export function verifyBudgetDecision(
  signed: SignedBudgetDecision,
  keys: Readonly<Record<string, string>>,
): boolean {
  const key = Object.hasOwn(keys, signed.keyId) ? keys[signed.keyId] : undefined;
  if (!key) return false;
  try {
    return verifyEd25519(
      hexToBytes(signed.signature),
      budgetDecisionMessage(signed.runId, signed.decision, signed.expiresAt),
      hexToBytes(key),
    );
  } catch {
    return false;
  }
}
