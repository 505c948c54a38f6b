import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import type { Vote } from '../models';
import {
  newVoteSigningKey,
  parseVoteSigningKey,
  parseVoteVerifyKeys,
  verifyKeyOf,
  voteSignerFor,
  voteVerifyKeysFor,
} from './keys';
import { ed25519 } from '@noble/curves/ed25519.js';
import { verifyEd25519, verifyVoteSignature } from './workflow/verify';

const vote: Vote = {
  requestId: 'wf-1/approval-1',
  approver: 'slack:U_BOB',
  approve: true,
  via: 'slack',
  comment: 'ok\n"quoted"',
  actionHash: 'abc',
  at: '2030-01-01T00:00:00.000Z',
};

describe('signed votes', () => {
  const signer = parseVoteSigningKey(newVoteSigningKey('k2'));
  const keys = parseVoteVerifyKeys(verifyKeyOf(signer));

  it('a vote signed by node:crypto verifies with the pure-JS verifier the workflow uses', () => {
    const signed = signer.sign('run-1', vote, new Date('2030-01-01T00:00:20Z'));
    expect(signed.keyId).toBe('k2');
    expect(verifyVoteSignature(signed, keys)).toBe(true);
  });

  it('any changed field, another run, an unknown key id or another key breaks the signature', () => {
    const signed = signer.sign('run-1', vote, new Date('2030-01-01T00:00:20Z'));
    expect(verifyVoteSignature({ ...signed, vote: { ...vote, approve: false } }, keys)).toBe(false);
    expect(verifyVoteSignature({ ...signed, vote: { ...vote, requestId: 'wf-1/approval-2' } }, keys)).toBe(
      false,
    );
    expect(verifyVoteSignature({ ...signed, vote: { ...vote, comment: 'ok' } }, keys)).toBe(false);
    expect(verifyVoteSignature({ ...signed, vote: { ...vote, via: 'cli' } }, keys)).toBe(false);
    expect(verifyVoteSignature({ ...signed, runId: 'run-2' }, keys)).toBe(false);
    expect(verifyVoteSignature({ ...signed, expiresAt: '2031-01-01T00:00:00.000Z' }, keys)).toBe(false);
    expect(verifyVoteSignature({ ...signed, keyId: 'k1' }, keys)).toBe(false);
    expect(verifyVoteSignature({ ...signed, keyId: 'constructor' }, keys)).toBe(false);
    const other = parseVoteSigningKey(newVoteSigningKey('k2'));
    expect(verifyVoteSignature(other.sign('run-1', vote, new Date('2030-01-01T00:00:20Z')), keys)).toBe(
      false,
    );
  });

  it.each([
    ['with shared tables (preloaded)', true],
    ['in one pass (per-run module)', false],
  ])('the verifier %s agrees with noble on valid, tampered and non-canonical signatures', (_, tables) => {
    const L = ed25519.Point.Fn.ORDER;
    const identity = new Uint8Array(32);
    identity[0] = 1; // the neutral point: small order
    for (let i = 0; i < 12; i++) {
      const secret = ed25519.utils.randomSecretKey();
      const publicKey = ed25519.getPublicKey(secret);
      const message = new TextEncoder().encode(`vote ${i} ${'x'.repeat(i * 7)}`);
      const signature = ed25519.sign(message, secret);
      const flipped = signature.slice();
      flipped[i % 64]! ^= 1 << (i % 8);
      const s = signature.subarray(32).reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);
      const unreduced = signature.slice();
      unreduced.set(
        Array.from({ length: 32 }, (_, j) => Number(((s + L) >> BigInt(8 * j)) & 0xffn)),
        32,
      );
      const cases: [Uint8Array, Uint8Array, Uint8Array][] = [
        [signature, message, publicKey],
        [flipped, message, publicKey],
        [signature, new TextEncoder().encode('other'), publicKey],
        [unreduced, message, publicKey],
        [signature, message, identity],
        [signature, message, ed25519.getPublicKey(ed25519.utils.randomSecretKey())],
      ];
      for (const [sig, msg, key] of cases) {
        expect(verifyEd25519(sig, msg, key, tables)).toBe(ed25519.verify(sig, msg, key, { zip215: false }));
      }
      expect(verifyEd25519(signature, message, publicKey, tables)).toBe(true);
    }
  });

  it('workers accept the listed verify keys plus the public half of a signing key (rotation)', () => {
    const old = parseVoteSigningKey(newVoteSigningKey('k1'));
    const config = {
      NODE_ENV: 'production' as const,
      APPROVAL_VOTE_SIGNING_KEY: newVoteSigningKey('k2'),
      APPROVAL_VOTE_VERIFY_KEYS: verifyKeyOf(old),
    };
    const accepted = voteVerifyKeysFor(config);
    expect(Object.keys(accepted).sort()).toEqual(['k1', 'k2']);
    expect(verifyVoteSignature(old.sign('run-1', vote, new Date()), accepted)).toBe(true);
    expect(verifyVoteSignature(voteSignerFor(config).sign('run-1', vote, new Date()), accepted)).toBe(true);
  });

  it('production without a key fails at start with one line saying how to make one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /^APPROVAL_VOTE_SIGNING_KEY must be .* \(it is not set\) — production needs it .*generate one with: npx tsx bin\/approval-vote-key\.ts$/,
    );
    expect(() =>
      voteSignerFor({
        NODE_ENV: 'production',
        APPROVAL_VOTE_SIGNING_KEY: undefined,
        APPROVAL_VOTE_VERIFY_KEYS: 'v1:H_Atuee_CkaPCP9WMrbHlC7uxnO9qnwKTtApgX7P38c',
      }),
    ).toThrow(/APPROVAL_VOTE_SIGNING_KEY is not set.*npx tsx bin\/approval-vote-key\.ts/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        APPROVAL_VOTE_VERIFY_KEYS: 'v1:H_Atuee_CkaPCP9WMrbHlC7uxnO9qnwKTtApgX7P38c',
      }),
    ).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'production', APPROVAL_VOTE_SIGNING_KEY: 'v1:short' })).toThrow(
      /APPROVAL_VOTE_SIGNING_KEY must be .*got an invalid value/,
    );
  });

  it('outside production every process shares one dev key made once under the state directory', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vote-key-')), '.pantheon');
    const dev = {
      NODE_ENV: 'development' as const,
      APPROVAL_VOTE_SIGNING_KEY: undefined,
      APPROVAL_VOTE_VERIFY_KEYS: undefined,
    };
    const bot = voteSignerFor(dev, dir);
    expect(voteSignerFor(dev, dir).publicKey).toBe(bot.publicKey);
    expect(voteVerifyKeysFor(dev, dir)).toEqual({ dev: bot.publicKey });
  });
});
