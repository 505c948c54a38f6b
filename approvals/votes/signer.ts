import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { SignedVote, Vote } from '../models';
import { voteMessage } from './workflow/verify';

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), so node:crypto can load it.
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The key that signs votes, as the bot and the CLI hold it (from APPROVAL_VOTE_SIGNING_KEY). */
export class VoteSigner {
  readonly #key: KeyObject;
  /** The matching public key, hex: what workers verify with. */
  readonly publicKey: string;

  constructor(
    readonly keyId: string,
    seed: Buffer,
  ) {
    if (seed.length !== 32) throw new Error('an Ed25519 signing key is 32 bytes');
    this.#key = createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
    const jwk = createPublicKey(this.#key).export({ format: 'jwk' });
    this.publicKey = Buffer.from(jwk.x!, 'base64url').toString('hex');
  }

  /** Signs `vote` for one run, valid until `expiresAt`. */
  sign(runId: string, vote: Vote, expiresAt: Date): SignedVote {
    const expires = expiresAt.toISOString();
    const signature = this.signMessage(voteMessage(runId, vote, expires));
    return { vote, runId, expiresAt: expires, keyId: this.keyId, signature };
  }

  /** Ed25519 over `message`, hex: for other signed decisions with their own message (budget raises). */
  signMessage(message: Uint8Array): string {
    return sign(null, message, this.#key).toString('hex');
  }
}
