import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SignedVote, VoteReceipt, VoteRefusal } from '../models';

/**
 * One approver's decision, signed by the bot or the CLI after checking who it is. An Update, so
 * the workflow's validator can refuse it (the caller learns why, and nothing is written to
 * history) and the caller commits only once the workflow has accepted. Workflow-safe.
 */
export const approvalVoteUpdate = defineUpdate<VoteReceipt, [SignedVote]>('pantheon.approval.decide');

/** The latest refused votes (bounded) and how many there were, for operators. */
export const approvalRefusalsQuery = defineQuery<{ total: number; recent: VoteRefusal[] }>(
  'pantheon.approval.refusals',
);

/**
 * The old unsigned vote signal. Its handler refuses everything: kept only so a forged signal is
 * noticed (refusals query, worker log) instead of waiting in the buffer for a handler.
 */
export const legacyVoteSignal = defineSignal<[unknown]>('pantheon.approval.vote');
