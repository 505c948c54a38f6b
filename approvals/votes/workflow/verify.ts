/**
 * Verifies signed approval votes inside the workflow sandbox: pure JS (@noble/curves), no I/O,
 * deterministic, so a replay reaches the same verdict. The signing side is ../signer.ts.
 *
 * Speed matters: a vote is an Update, and its validator runs while the approver waits. Workers
 * preload this module (worker/paths.ts `preloadModules`), so it is evaluated once per workflow
 * thread, before any run: the base point's table is built then, and each vote key is decoded
 * and given its own table the first time it is seen, for every later run (≈1 ms a vote instead
 * of ≈4). In a bundle without the preload each run has its own copy of this module, and the
 * tables would cost more to build than they save: it verifies in one plain pass instead.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, hexToBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { inWorkflowContext } from '@temporalio/workflow';
import type { SignedVote, Vote } from '../../models';

const { Point } = ed25519;
type EdPoint = InstanceType<typeof Point>;
const minusBase = Point.BASE.negate();

/** Evaluated outside any run: this module is shared by every run of the thread. */
const shared = !inWorkflowContext();
const tableWindow = 6;
/** Decoded vote keys with their tables (a worker verifies with a handful of keys; bounded anyway). */
const keyPoints = new Map<string, EdPoint>();
const maxKeyPoints = 16;
if (shared) Point.BASE.precompute(tableWindow, false);

/** Whether this module is the shared, preloaded copy (so its tables outlive each run). */
export function verifierTablesShared(): boolean {
  return shared;
}

/**
 * Strict RFC 8032 Ed25519 verification, as noble's `ed25519.verify(…, { zip215: false })` does:
 * canonical encodings, s < L, small-order keys refused, the cofactored equation [8](R + kA − sB) = 0.
 * The unit test checks it agrees with noble's own verify.
 */
export function verifyEd25519(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
  /** Use the shared tables (the default when preloaded); false is the per-run path (tests check both). */
  tables = shared,
): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const r = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32));
  if (!Point.Fn.isValid(s)) return false;
  let A: EdPoint | undefined;
  let R: EdPoint;
  try {
    A = decodeKey(publicKey, tables);
    R = Point.fromBytes(r, false);
  } catch {
    return false;
  }
  if (!A) return false;
  const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(r, publicKey, message))));
  const sum = tables ? A.multiplyUnsafe(k).add(Point.BASE.multiplyUnsafe(s).negate()) : onePass(A, k, s);
  return R.add(sum).clearCofactor().is0();
}

/** The key as a point (undefined when of small order), cached with its table when shared. */
function decodeKey(publicKey: Uint8Array, tables: boolean): EdPoint | undefined {
  const id = tables ? Array.from(publicKey, (b) => b.toString(16).padStart(2, '0')).join('') : '';
  const cached = tables ? keyPoints.get(id) : undefined;
  if (cached) return cached;
  const A = Point.fromBytes(publicKey, false);
  if (A.isSmallOrder()) return undefined;
  if (tables && keyPoints.size < maxKeyPoints) {
    A.precompute(tableWindow, false);
    keyPoints.set(id, A);
  }
  return A;
}

/** kA − sB in one double-and-add pass (no tables): for a module evaluated per run. */
function onePass(A: EdPoint, k: bigint, s: bigint): EdPoint {
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
  return sum;
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
