/**
 * Verifies signed approval votes inside the workflow sandbox: pure JS (@noble/curves), no I/O,
 * deterministic, so a replay reaches the same verdict. The signing side is ../signer.ts.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, hexToBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import type { SignedVote, Vote } from '../../models';

const { Point } = ed25519;
const minusBase = Point.BASE.negate();

/**
 * Strict RFC 8032 Ed25519 verification (canonical encodings, s < L, small-order keys refused,
 * cofactored equation), as noble's `ed25519.verify(…, { zip215: false })` does, but computing
 * kA − sB in one double-and-add pass: each run has its own copy of this module and checks a vote
 * or two, so noble's base-point table would cost more to build than it saves. The unit test
 * checks it agrees with noble's own verify.
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const r = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32));
  if (!Point.Fn.isValid(s)) return false;
  let A: InstanceType<typeof Point>;
  let R: InstanceType<typeof Point>;
  try {
    A = Point.fromBytes(publicKey, false);
    R = Point.fromBytes(r, false);
  } catch {
    return false;
  }
  if (A.isSmallOrder()) return false;
  const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(r, publicKey, message))));
  const width = Math.max(k.toString(2).length, s.toString(2).length);
  const [kBits, sBits] = [k.toString(2).padStart(width, '0'), s.toString(2).padStart(width, '0')];
  const both = A.add(minusBase);
  let sum = Point.ZERO;
  for (let i = 0; i < width; i++) {
    sum = sum.double();
    const [a, b] = [kBits[i] === '1', sBits[i] === '1'];
    if (a && b) sum = sum.add(both);
    else if (a) sum = sum.add(A);
    else if (b) sum = sum.add(minusBase);
  }
  // [8](R + kA − sB) = 0
  return R.add(sum).clearCofactor().is0();
}

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
    return verifyEd25519(
      hexToBytes(signed.signature),
      voteMessage(signed.runId, signed.vote, signed.expiresAt),
      hexToBytes(key),
    );
  } catch {
    return false;
  }
}
