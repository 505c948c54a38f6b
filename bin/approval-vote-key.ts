/**
 * `npx tsx bin/approval-vote-key.ts [keyId]`: a new Ed25519 key pair for approval votes, as two
 * settings lines. The bot and the CLI get the signing key; workers need only the verify key.
 */
import { newVoteSigningKey, parseVoteSigningKey, verifyKeyOf } from '../approvals/votes/keys';

const keyId = process.argv[2] ?? 'v1';
if (!/^[a-z0-9]{1,8}$/.test(keyId)) {
  process.stderr.write('The key id is 1 to 8 lower-case letters or digits, e.g. v2\n');
  process.exit(2);
}
const signing = newVoteSigningKey(keyId);
process.stdout.write(
  `APPROVAL_VOTE_SIGNING_KEY=${signing}\nAPPROVAL_VOTE_VERIFY_KEYS=${verifyKeyOf(parseVoteSigningKey(signing))}\n`,
);
