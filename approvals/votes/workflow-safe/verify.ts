/**
 * Verifies signed approval votes inside the workflow sandbox: pure JS (@noble/curves), no I/O,
 * deterministic, so a replay reaches the same verdict. The signing side is ../signer.ts.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/curves/utils.js';
import type { SignedVote, Vote } from '../../models';

/**
 * The exact bytes signed: a JSON array, so no field can bleed into another (comments hold any
 * text). Binds the run, request, approver, decision, channel, comment, action hash and both times.
 */
export function voteMessage(runId: string, vote: Vote, expiresAt: string): Uint8Array {
  const fields = [
    'pantheon.approval.vote.v1',
    runId,
    vote.requestId,
    vote.approver,
    vote.approve ? 'approve' : 'reject',
    vote.via,
    vote.comment ?? null,
    vote.actionHash ?? null,
    vote.at,
    expiresAt,
  ];
  return new TextEncoder().encode(JSON.stringify(fields));
}

/** True when `signed` carries a valid signature by one of `keys` (key id → Ed25519 public key, hex). */
export function verifyVoteSignature(signed: SignedVote, keys: Readonly<Record<string, string>>): boolean {
  const key = Object.hasOwn(keys, signed.keyId) ? keys[signed.keyId] : undefined;
  if (!key) return false;
  try {
    // zip215: false is strict RFC 8032: one valid signature per message, no malleable encodings.
    return ed25519.verify(
      hexToBytes(signed.signature),
      voteMessage(signed.runId, signed.vote, signed.expiresAt),
      hexToBytes(key),
      { zip215: false },
    );
  } catch {
    return false;
  }
}
