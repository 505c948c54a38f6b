import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import type { SlackMessage } from '@pantheon/local-slack';
import type { ApprovalResult } from '../approvals/models';
import { startApprovalHarness, waitUntil } from '../approvals/testing/harness';
import type { ApprovalHarness } from '../approvals/testing/harness';
import { testPolicy, writePolicy } from './support/policy';

/**
 * Approvers come from the deployment policy, resolved on the worker — never from the run's input
 * (unless the policy says so), and never the requester (unless the policy names the exception).
 */
let h: ApprovalHarness;
beforeAll(async () => {
  const policy = testPolicy({
    workflows: {
      'expense-approval': {
        run: { everyone: true },
        approvers: { manager: { slackUsers: ['U_BOB'] }, finance: { emails: ['carol@example.com'] } },
      },
      // The probe asks for whatever step a test names; it takes no approvers from its input.
      'approval-probe': {
        approvers: {
          shared: { slackUsers: ['U_ALICE', 'U_BOB'] },
          mailed: { emails: ['alice@example.com', 'carol@example.com'] },
          own: { slackUsers: ['U_ALICE'] },
          lonely: { slackUsers: ['U_ALICE'] },
        },
        selfApproval: ['own'],
      },
    },
  });
  h = await startApprovalHarness({
    temporalAddress: inject('temporalAddress'),
    env: { PANTHEON_POLICY_FILE: writePolicy(policy) },
  });
});
afterAll(async () => {
  await h?.close();
});

const requestIdOf = (workflowId: string, n = 1) => `${workflowId}/approval-${n}`;
const alice = { startedBy: 'slack:U_ALICE' };

async function approvalMessage(where: string, title: string): Promise<SlackMessage> {
  return h.slack.waitUntil(
    () =>
      h.slack
        .messages(where)
        .find((m) => m.text.includes(title) && m.blocks?.some((b) => b.type === 'actions')),
    15_000,
  );
}

async function requestOf(workflowId: string, n = 1) {
  return waitUntil(
    () => h.store.get(requestIdOf(workflowId, n)),
    `approval request ${n} of ${workflowId}`,
    15_000,
  );
}

describe('approvers from policy', () => {
  it('ignores the approvers an expense run names in its input: the policy’s manager and finance decide', async () => {
    const description = `Offsite ${Date.now()}`;
    const handle = await h.start(
      'expenseApproval',
      // Alice names herself and a friend; the policy says bob, then carol.
      { description, amount: 90, manager: 'U_ALICE', finance: 'mallory@example.com' },
      alice,
    );
    expect((await requestOf(handle.workflowId)).approvers).toEqual(['slack:U_BOB']);
    const dm = await approvalMessage('U_BOB', description);
    expect(h.slack.messages('U_ALICE').some((m) => m.text.includes(description))).toBe(false);
    await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'U_BOB',
      messageTs: dm.ts,
      actionId: 'approvals.approve',
    });

    expect((await requestOf(handle.workflowId, 2)).approvers).toEqual(['email:carol@example.com']);
    await h.mail.waitFor(
      (m) => m.to.includes('carol@example.com') && (m.parsed.subject ?? '').includes(description),
    );
    expect(h.mail.mails.some((m) => m.to.includes('mallory@example.com'))).toBe(false);
    await handle.cancel();
  });

  it('leaves the requester out of the approvers even when the policy lists them, by Slack id and by address', async () => {
    const shared = await h.probe({ title: `Shared ${Date.now()}`, step: 'shared', timeout: '1 hour' }, alice);
    const mailed = await h.probe({ title: `Mailed ${Date.now()}`, step: 'mailed', timeout: '1 hour' }, alice);
    expect((await requestOf(shared.workflowId)).approvers).toEqual(['slack:U_BOB']);
    expect((await requestOf(mailed.workflowId)).approvers).toEqual(['email:carol@example.com']);
    const [requested] = await h.store.events({
      requestId: requestIdOf(shared.workflowId),
      kind: 'requested',
    });
    expect(requested!.detail.policy).toMatchObject({
      workflow: 'approval-probe',
      step: 'shared',
      selfApproval: false,
      excluded: ['slack:U_ALICE'],
    });
    await Promise.all([shared.cancel(), mailed.cancel()]);
  });

  it('lets the requester approve their own run only where `selfApproval` names the step, and records it', async () => {
    const title = `Own ${Date.now()}`;
    const handle = await h.probe({ title, step: 'own', timeout: '1 hour' }, alice);
    expect((await requestOf(handle.workflowId)).approvers).toEqual(['slack:U_ALICE']);
    const [requested] = await h.store.events({
      requestId: requestIdOf(handle.workflowId),
      kind: 'requested',
    });
    expect(requested!.detail.policy).toMatchObject({ step: 'own', selfApproval: true, excluded: [] });
    const dm = await approvalMessage('U_ALICE', title);
    await h.slack.clickButton({
      user: 'U_ALICE',
      channel: 'U_ALICE',
      messageTs: dm.ts,
      actionId: 'approvals.approve',
    });
    expect((await handle.result()) as ApprovalResult).toMatchObject({
      decision: 'approved',
      decidedBy: 'slack:U_ALICE',
    });
  });

  it('fails the step at once, naming the workflow, the step and the key to set, when no approver is left', async () => {
    const started = Date.now();
    const lonely = await h.probe({ title: `Lonely ${Date.now()}`, step: 'lonely', timeout: '1 hour' }, alice);
    const unnamed = await h.probe(
      { title: `Unnamed ${Date.now()}`, step: 'nobody-listed', timeout: '1 hour' },
      alice,
    );
    for (const [handle, pattern] of [
      [
        lonely,
        /No one may approve step "lonely" of approval-probe \(slack:U_ALICE started the run.*selfApproval/,
      ],
      [
        unnamed,
        /No one may approve step "nobody-listed" of approval-probe: list approvers under `workflows\.approval-probe\.approvers\.nobody-listed`.*policy file .*policy\.yaml/,
      ],
    ] as const) {
      const failure = await handle.result().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const cause = (failure as WorkflowFailedError).cause?.cause as
        { type?: string; message: string } | undefined;
      expect(cause?.type).toBe('NoApprover');
      expect(cause?.message).toMatch(pattern);
    }
    expect(Date.now() - started).toBeLessThan(10_000); // not retried
    expect(await h.store.get(requestIdOf(lonely.workflowId))).toBeUndefined();
  });
});
