import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../core/db/pool';
import { ErrorCode, PantheonError } from '../../core/errors';

/**
 * Email approval tokens: `<keyId>-<nonce>-<mac>`, lower-case base32, short enough for the local
 * part of a Reply-To (approvals+<token>@domain, ≤ 64 characters) and safe when a mail system
 * lower-cases it. The MAC is HMAC-SHA256 over request id, approver, expiry, nonce and action hash;
 * the row (keyed by nonce) keeps those fields and records the single use.
 */
export interface TokenClaims {
  readonly requestId: string;
  /** The approver's email address (lower case): the only person the token speaks for. */
  readonly approver: string;
  readonly expiresAt: Date;
  readonly actionHash?: string;
}

export type TokenCheck =
  | { readonly ok: true; readonly nonce: string; readonly claims: TokenClaims }
  | {
      readonly ok: false;
      readonly reason: 'token-invalid' | 'token-expired' | 'token-used';
      readonly claims?: TokenClaims;
      readonly usedBy?: string;
    };

const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
export const tokenPattern = /^([a-z0-9]{1,8})-([a-z2-7]{16})-([a-z2-7]{24})$/;

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** `k2:secret,k1:older` → keys by id; the first (or `activeKeyId`) signs new tokens. */
export function parseTokenKeys(
  keys: string | undefined,
  activeKeyId?: string,
): { active: string; keys: Map<string, string> } {
  const map = new Map<string, string>();
  for (const pair of (keys ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf(':');
    map.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const active = activeKeyId ?? map.keys().next().value;
  if (!active || !map.has(active)) {
    throw new PantheonError(
      ErrorCode.ConfigInvalid,
      'APPROVAL_TOKEN_KEYS must hold the signing key (keyId:secret) for email approvals',
    );
  }
  return { active, keys: map };
}

export class ApprovalTokens {
  readonly #keys: Map<string, string>;
  readonly #active: string;

  constructor(
    private readonly db: Database,
    keys: { active: string; keys: Map<string, string> },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#keys = keys.keys;
    this.#active = keys.active;
  }

  async issue(claims: TokenClaims): Promise<string> {
    const nonce = base32(randomBytes(10));
    const approver = claims.approver.toLowerCase();
    await this.db.query(
      'INSERT INTO approval_tokens (nonce, request_id, approver, action_hash, key_id, expires_at) VALUES ($1,$2,$3,$4,$5,$6)',
      [nonce, claims.requestId, approver, claims.actionHash ?? null, this.#active, claims.expiresAt],
    );
    return `${this.#active}-${nonce}-${this.#mac(this.#active, nonce, { ...claims, approver })}`;
  }

  /** Checks signature, expiry and prior use. Spending it happens in the decision's transaction. */
  async verify(token: string): Promise<TokenCheck> {
    const match = tokenPattern.exec(token.trim().toLowerCase());
    if (!match) return { ok: false, reason: 'token-invalid' };
    const [, keyId, nonce, mac] = match as unknown as [string, string, string, string];
    const { rows } = await this.db.query<{
      request_id: string;
      approver: string;
      action_hash: string | null;
      key_id: string;
      expires_at: Date;
      used_at: Date | null;
      used_by: string | null;
    }>(
      'SELECT request_id, approver, action_hash, key_id, expires_at, used_at, used_by FROM approval_tokens WHERE nonce = $1',
      [nonce],
    );
    const row = rows[0];
    if (!row || row.key_id !== keyId || !this.#keys.has(keyId)) return { ok: false, reason: 'token-invalid' };
    const claims: TokenClaims = {
      requestId: row.request_id,
      approver: row.approver,
      expiresAt: row.expires_at,
      ...(row.action_hash ? { actionHash: row.action_hash } : {}),
    };
    const expected = Buffer.from(this.#mac(keyId, nonce, claims));
    if (!timingSafeEqual(expected, Buffer.from(mac))) return { ok: false, reason: 'token-invalid', claims };
    if (this.now() > row.expires_at) return { ok: false, reason: 'token-expired', claims };
    if (row.used_at)
      return { ok: false, reason: 'token-used', claims, ...(row.used_by ? { usedBy: row.used_by } : {}) };
    return { ok: true, nonce, claims };
  }

  #mac(keyId: string, nonce: string, claims: TokenClaims): string {
    const secret = this.#keys.get(keyId)!;
    const message = [
      'v1',
      claims.requestId,
      claims.approver,
      Math.floor(claims.expiresAt.getTime() / 1000),
      nonce,
      claims.actionHash ?? '',
    ].join('\n');
    return base32(createHmac('sha256', secret).update(message).digest().subarray(0, 15));
  }
}
