import { defineSignal } from '@temporalio/workflow';
import type { Vote } from './models';

/** One approver's decision, sent by the bot or the CLI after checking who it is. Workflow-safe. */
export const approvalVoteSignal = defineSignal<[Vote]>('pantheon.approval.vote');
