import { defineActivity } from '../core/workflow/activity-spec';
import {
  escalateInput,
  escalateOutput,
  finalizeInput,
  finalizeOutput,
  notifyInput,
  notifyOutput,
  openInput,
  openOutput,
} from './models';

/** Activity specs of approvals (workflow-safe; implementations in activities.ts). */
export const openApproval = defineActivity({
  name: 'approvals.open',
  description: 'Record an approval request, resolve Slack groups to people and bind it to its action',
  tier: 'light',
  input: openInput,
  output: openOutput,
  labels: ['approvals'],
  sideEffecting: true,
});

export const notifyApprovers = defineActivity({
  name: 'approvals.notify',
  description: 'Send an approval request (or a reminder) to Slack and by email, once per recipient',
  tier: 'light',
  input: notifyInput,
  output: notifyOutput,
  labels: ['approvals'],
  sideEffecting: true,
  startToCloseTimeout: '2 minutes',
  // A worker dying mid-notification is noticed in seconds, not after the 2-minute timeout.
  heartbeatTimeout: '10 seconds',
});

export const escalateApproval = defineActivity({
  name: 'approvals.escalate',
  description: 'Add escalation approvers to an approval request and move its deadline',
  tier: 'light',
  input: escalateInput,
  output: escalateOutput,
  labels: ['approvals'],
  sideEffecting: true,
});

export const finalizeApproval = defineActivity({
  name: 'approvals.finalize',
  description: 'Record the outcome of an approval request and update every copy of its Slack message',
  tier: 'light',
  input: finalizeInput,
  output: finalizeOutput,
  labels: ['approvals'],
  sideEffecting: true,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
});

export const approvalSpecs = [openApproval, notifyApprovers, escalateApproval, finalizeApproval];
