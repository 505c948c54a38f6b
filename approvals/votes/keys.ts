import { generateKeyPairSync } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreConfig } from '../../core/config';
import { ErrorCode, PantheonError } from '../../core/errors';
import type { ApprovalsConfig } from '../config';
import { VoteSigner } from './signer';

type VoteKeySettings = Pick<ApprovalsConfig, 'APPROVAL_VOTE_SIGNING_KEY' | 'APPROVAL_VOTE_VERIFY_KEYS'> &
  Pick<CoreConfig, 'NODE_ENV'>;

/** How to make a key: printed wherever one is missing. */
export const generateVoteKeyHint = 'generate one with: npx tsx bin/approval-vote-key.ts';

const defaultStateDir = join(import.meta.dirname, '..', '..', '.pantheon');

/** `keyId:base64url-seed` → the signer. The value was validated by the settings schema. */
export function parseVoteSigningKey(value: string): VoteSigner {
  const at = value.indexOf(':');
  return new VoteSigner(value.slice(0, at), Buffer.from(value.slice(at + 1), 'base64url'));
}

/** `k2:base64url,k1:base64url` (public keys) → key id → hex, as the workflow takes them. */
export function parseVoteVerifyKeys(value: string | undefined): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const pair of (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf(':');
    keys[pair.slice(0, at)] = Buffer.from(pair.slice(at + 1), 'base64url').toString('hex');
  }
  return keys;
}

/** A fresh signing key in the settings' format. */
export function newVoteSigningKey(keyId = 'v1'): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return `${keyId}:${privateKey.export({ format: 'jwk' }).d!}`;
}

/** The public half of a signing key, in APPROVAL_VOTE_VERIFY_KEYS format. */
export function verifyKeyOf(signer: VoteSigner): string {
  return `${signer.keyId}:${Buffer.from(signer.publicKey, 'hex').toString('base64url')}`;
}

/**
 * Outside production, a key made once under .pantheon/ and shared by every local process (the
 * bot, the workers and the CLI), so `npm run dev` works on a fresh clone with no settings.
 * Created atomically: several processes may start at once.
 */
export function devVoteSigningKey(stateDir = defaultStateDir): string {
  const file = join(stateDir, 'approval-vote-key');
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, newVoteSigningKey('dev'), { mode: 0o600 });
    try {
      linkSync(temp, file); // fails if another process made it first: theirs wins
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
  }
  return readFileSync(file, 'utf8').trim();
}

function signingKeyValue(config: VoteKeySettings, stateDir?: string): string | undefined {
  if (config.APPROVAL_VOTE_SIGNING_KEY) return config.APPROVAL_VOTE_SIGNING_KEY;
  return config.NODE_ENV === 'production' ? undefined : devVoteSigningKey(stateDir);
}

/** The signer of a deciding process (bot, CLI). In production a missing key stops it with one line. */
export function voteSignerFor(config: VoteKeySettings, stateDir?: string): VoteSigner {
  const value = signingKeyValue(config, stateDir);
  if (!value) {
    throw new PantheonError(
      ErrorCode.ConfigInvalid,
      `APPROVAL_VOTE_SIGNING_KEY is not set: the bot and the CLI sign approval votes with it; ${generateVoteKeyHint}`,
    );
  }
  return parseVoteSigningKey(value);
}

/**
 * The keys a worker accepts votes from: APPROVAL_VOTE_VERIFY_KEYS plus the public half of the
 * signing key when this process has one (or the dev key outside production).
 */
export function voteVerifyKeysFor(config: VoteKeySettings, stateDir?: string): Record<string, string> {
  const keys = parseVoteVerifyKeys(config.APPROVAL_VOTE_VERIFY_KEYS);
  const signing =
    config.APPROVAL_VOTE_SIGNING_KEY ??
    (Object.keys(keys).length === 0 ? signingKeyValue(config, stateDir) : undefined);
  if (signing) {
    const signer = parseVoteSigningKey(signing);
    keys[signer.keyId] ??= signer.publicKey;
  }
  if (Object.keys(keys).length === 0) {
    throw new PantheonError(
      ErrorCode.ConfigInvalid,
      `APPROVAL_VOTE_VERIFY_KEYS is not set: workers accept approval votes only from known keys; ${generateVoteKeyHint}`,
    );
  }
  return keys;
}
