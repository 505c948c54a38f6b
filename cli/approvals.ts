import type { Client } from '@temporalio/client';
import type { Database } from '../core/db/pool';
import { ErrorCode, PantheonError } from '../core/errors';
import { Decider } from '../approvals/decider';
import { describeRequest } from '../approvals/history';
import { cliIdentity } from '../approvals/identity';
import { ApprovalStore } from '../approvals/store';
import { temporalVoteSender } from '../approvals/vote-sender';
import type { VoteSender } from '../approvals/vote-sender';
import type { VoteSigner } from '../approvals/votes/signer';
import type { CliIo } from './commands';

/** `pantheon approvals [--pending]` */
export async function listApprovals(db: Database, io: CliIo, pending: boolean): Promise<number> {
  const requests = await new ApprovalStore(db).list({ pending });
  if (requests.length === 0) {
    io.err(pending ? 'No approval request is pending.' : 'No approval requests yet.');
    return 0;
  }
  for (const request of requests) io.out(describeRequest(request));
  return 0;
}

/**
 * `pantheon approve <id> [--comment C]` and `pantheon reject <id> --comment C`: recorded as the
 * operator, via the CLI, signed with APPROVAL_VOTE_SIGNING_KEY like the bot's votes. An operator
 * decides alone, but never a run they started themselves.
 */
export async function decideApproval(
  deps: { db: Database; client: Client | (() => Promise<Client>); signer: VoteSigner },
  io: CliIo,
  requestId: string,
  approve: boolean,
  comment: string | undefined,
): Promise<number> {
  if (!approve && !comment?.trim())
    throw new PantheonError(ErrorCode.InvalidInput, 'A rejection needs a reason: --comment "why"');
  // Temporal is reached only once the request is known to be pending and ours to decide.
  const client = deps.client;
  const send: VoteSender = async (target, vote, deadline) =>
    temporalVoteSender(typeof client === 'function' ? await client() : client)(target, vote, deadline);
  const decider = new Decider({ store: new ApprovalStore(deps.db), signer: deps.signer, send });
  const outcome = await decider.decide({
    requestId,
    approver: cliIdentity(io.operator),
    approve,
    via: 'cli',
    ...(comment ? { comment } : {}),
  });
  if (outcome.kind === 'refused') {
    io.err(outcome.message);
    return 1;
  }
  io.out(`${approve ? 'Approved' : 'Rejected'} ${requestId} as ${io.operator}`);
  return 0;
}
