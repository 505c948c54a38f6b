import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { SlackMessage } from '@pantheon/local-slack';
import { approvalHistory } from '../approvals/history';
import type { ApprovalResult } from '../approvals/models';
import { startApprovalHarness, waitUntil } from '../approvals/testing/harness';
import type { ApprovalHarness } from '../approvals/testing/harness';

let h: ApprovalHarness;
beforeAll(async () => {
  h = await startApprovalHarness({ temporalAddress: inject('temporalAddress') });
});
afterAll(async () => {
  await h?.close();
});

const requestIdOf = (workflowId: string, n = 1) => `${workflowId}/approval-${n}`;

/** The approval message the bot posted for `title` in a channel or DM (user id). */
async function approvalMessage(where: string, title: string): Promise<SlackMessage> {
  return h.slack.waitUntil(
    () =>
      h.slack
        .messages(where)
        .find((m) => m.text.includes(title) && m.blocks?.some((b) => b.type === 'actions')),
    15_000,
  );
}

const blocksText = (m: SlackMessage | undefined) => JSON.stringify(m?.blocks ?? []);

describe('approvals in Slack', () => {
  it('approves with a button: the thread copy and the DM both show who decided, and the buttons are gone', async () => {
    const title = `Deploy ${Date.now()}`;
    const root = await h.app.client.chat.postMessage({ channel: 'C_OPS', text: 'run root' });
    const handle = await h.probe(
      { title, details: 'Ship *v2* to production', approvers: { slackUsers: ['U_BOB'] }, timeout: '1 hour' },
      { slack: { channel: 'C_OPS', threadTs: root.ts! }, startedBy: 'slack:U_ALICE' },
    );
    const dm = await approvalMessage('U_BOB', title);
    const inThread = await approvalMessage('C_OPS', title);
    expect(inThread.thread_ts).toBe(root.ts);
    expect(blocksText(dm)).toContain('Ship *v2* to production');
    expect(blocksText(dm)).toContain('Requested by <@U_ALICE>');
    expect(blocksText(dm)).toContain('<!date^');

    const click = await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'U_BOB',
      messageTs: dm.ts,
      actionId: 'approvals.approve',
    });
    expect(click.status).toBe(200);
    const result = (await handle.result()) as ApprovalResult;
    expect(result).toMatchObject({
      decision: 'approved',
      decidedBy: 'slack:U_BOB',
      via: 'slack',
      requestId: requestIdOf(handle.workflowId),
    });

    await h.slack.waitUntil(
      () => !blocksText(h.slack.message('C_OPS', inThread.ts)).includes('approvals.approve') || undefined,
    );
    for (const copy of [
      h.slack.message('C_OPS', inThread.ts),
      h.slack.messages('U_BOB').find((m) => m.ts === dm.ts),
    ]) {
      expect(blocksText(copy)).toContain('Approved* by <@U_BOB> in Slack');
      expect(blocksText(copy)).not.toContain('"actions"');
    }
    const [entry] = await approvalHistory(h.db, handle.workflowId);
    expect(entry!.request).toMatchObject({
      status: 'approved',
      decidedBy: 'slack:U_BOB',
      decidedVia: 'slack',
    });
    expect(entry!.events.map((e) => e.kind)).toEqual([
      'requested',
      'notified',
      'notified',
      'vote',
      'decided',
    ]);
  });

  it('shows the decision on the clicked card at once, while the other copies wait for the delivery queue', async () => {
    const title = `Ship ${Date.now()}`;
    const root = await h.app.client.chat.postMessage({ channel: 'C_OPS', text: 'run root' });
    const handle = await h.probe(
      { title, approvers: { slackUsers: ['U_BOB'] }, timeout: '1 hour' },
      { slack: { channel: 'C_OPS', threadTs: root.ts! }, startedBy: 'slack:U_ALICE' },
    );
    const dm = await approvalMessage('U_BOB', title);
    const inThread = await approvalMessage('C_OPS', title);
    // Slack writes through the queue are stalled: only the click's own response_url gets through.
    const lift = h.slack.rateLimit({ method: 'chat.update', perSecond: 0 });
    try {
      await h.slack.clickButton({
        user: 'U_BOB',
        channel: 'U_BOB',
        messageTs: dm.ts,
        actionId: 'approvals.approve',
      });
      const shown = await h.slack.waitUntil(() => {
        const now = h.slack.message('U_BOB', dm.ts);
        return now && !blocksText(now).includes('approvals.approve') ? now : undefined;
      });
      expect(blocksText(shown)).toContain('Approved* by <@U_BOB> in Slack');
      expect(blocksText(h.slack.message('C_OPS', inThread.ts))).toContain('approvals.approve');
    } finally {
      lift();
    }
    expect(await handle.result()).toMatchObject({ decision: 'approved', decidedBy: 'slack:U_BOB' });
    // The queue delivers the same message to the other copy.
    const thread = await h.slack.waitUntil(() => {
      const now = h.slack.message('C_OPS', inThread.ts);
      return now && !blocksText(now).includes('approvals.approve') ? now : undefined;
    }, 15_000);
    expect(blocksText(thread)).toBe(blocksText(h.slack.message('U_BOB', dm.ts)));
  });

  it('rejects with a reason typed in the modal; an empty reason is refused by the modal', async () => {
    const title = `Refund ${Date.now()}`;
    const handle = await h.probe({ title, approvers: { slackGroups: ['S_APPROVERS'] }, timeout: '1 hour' });
    const dm = await approvalMessage('U_CAROL', title);
    const click = await h.slack.clickButton({
      user: 'U_CAROL',
      channel: 'U_CAROL',
      messageTs: dm.ts,
      actionId: 'approvals.reject',
    });
    expect(click.status).toBe(200);
    const opened = await h.slack.waitFor('view_opened', (e) => e.user === 'U_CAROL');
    const empty = await h.slack.submitView({ user: 'U_CAROL', viewId: opened.view.id, values: {} });
    expect(empty.outcome).toBe('errors');
    const submitted = await h.slack.submitView({
      user: 'U_CAROL',
      viewId: opened.view.id,
      values: { 'approvals.comment': { comment: 'Duplicate of last week' } },
    });
    expect(submitted.outcome).toBe('closed');
    expect(await handle.result()).toMatchObject({
      decision: 'rejected',
      decidedBy: 'slack:U_CAROL',
      comment: 'Duplicate of last week',
    });
    const bobsCopy = await h.slack.waitUntil(() =>
      h.slack.messages('U_BOB').find((m) => m.text.includes(title) && blocksText(m).includes('Rejected')),
    );
    expect(blocksText(bobsCopy)).toContain('Duplicate of last week');
  });

  it('tells a non-approver so and changes nothing; a click after the decision says who decided', async () => {
    const title = `Budget ${Date.now()}`;
    const handle = await h.probe(
      { title, approvers: { slackUsers: ['U_BOB', 'U_CAROL'] }, timeout: '1 hour' },
      { slack: { channel: 'C_OPS' }, startedBy: 'cli:ops' },
    );
    const message = await approvalMessage('C_OPS', title);
    const carols = await approvalMessage('U_CAROL', title);
    const stranger = await h.slack.clickButton({
      user: 'U_ALICE',
      channel: 'C_OPS',
      messageTs: message.ts,
      actionId: 'approvals.approve',
    });
    await h.slack.waitUntil(() => stranger.responses().length > 0 || undefined);
    expect(stranger.responses()[0]!.body.text).toBe('You are not an approver for this request.');
    expect((await h.store.get(requestIdOf(handle.workflowId)))!.status).toBe('pending');

    // Slack slow to show the decision: Carol's copy keeps its buttons after Bob's decision.
    const lift = h.slack.rateLimit({ method: 'chat.update', perSecond: 0 });
    await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'C_OPS',
      messageTs: message.ts,
      actionId: 'approvals.approve',
    });
    await waitUntil(
      async () => (await h.store.get(requestIdOf(handle.workflowId)))?.status === 'approved',
      'the decision',
    );
    for (const actionId of ['approvals.approve', 'approvals.reject']) {
      const late = await h.slack.clickButton({
        user: 'U_CAROL',
        channel: 'U_CAROL',
        messageTs: carols.ts,
        actionId,
      });
      await h.slack.waitUntil(() => late.responses().length > 0 || undefined);
      expect(late.responses()[0]!.body.text).toBe(
        actionId === 'approvals.approve' ? 'Already approved by <@U_BOB>.' : 'Already approved by <@U_BOB>.',
      );
    }
    lift();
    expect(await handle.result()).toMatchObject({ decision: 'approved', decidedBy: 'slack:U_BOB' });
    const refused = (
      await h.store.events({ requestId: requestIdOf(handle.workflowId), kind: 'refused' })
    ).map((e) => [e.actor, e.detail.reason]);
    expect(refused).toEqual([
      ['slack:U_ALICE', 'not-an-approver'],
      ['slack:U_CAROL', 'already-decided'],
      ['slack:U_CAROL', 'already-decided'],
    ]);
  });

  it('two approvers clicking at the same moment make exactly one decision', async () => {
    const title = `Race ${Date.now()}`;
    const handle = await h.probe({
      title,
      approvers: { slackUsers: ['U_BOB', 'U_CAROL'] },
      timeout: '1 hour',
    });
    const [bob, carol] = [await approvalMessage('U_BOB', title), await approvalMessage('U_CAROL', title)];
    await Promise.all([
      h.slack.clickButton({
        user: 'U_BOB',
        channel: 'U_BOB',
        messageTs: bob.ts,
        actionId: 'approvals.approve',
      }),
      h.slack.clickButton({
        user: 'U_CAROL',
        channel: 'U_CAROL',
        messageTs: carol.ts,
        actionId: 'approvals.approve',
      }),
    ]);
    const result = (await handle.result()) as ApprovalResult;
    expect(result.votes).toHaveLength(1);
    // Bolt acks before the listener decides: wait for the loser's attempt to be recorded too.
    const events = await waitUntil(async () => {
      const all = await h.store.events({ requestId: requestIdOf(handle.workflowId) });
      return all.some((e) => e.kind === 'refused') && all.some((e) => e.kind === 'decided') ? all : undefined;
    }, 'both attempts recorded');
    expect(events.filter((e) => e.kind === 'vote')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'decided')).toHaveLength(1);
    const loser = events.find((e) => e.kind === 'refused')!;
    expect(loser.detail.reason).toBe('already-decided');
    expect(loser.actor).not.toBe(result.decidedBy);
  });

  it('needs two distinct approvers with a quorum of two', async () => {
    const title = `Quorum ${Date.now()}`;
    const handle = await h.probe({
      title,
      approvers: { slackGroups: ['S_APPROVERS'] },
      quorum: 2,
      timeout: '1 hour',
    });
    const bob = await approvalMessage('U_BOB', title);
    const first = await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'U_BOB',
      messageTs: bob.ts,
      actionId: 'approvals.approve',
    });
    await h.slack.waitUntil(() => first.responses().length > 0 || undefined);
    expect(first.responses()[0]!.body.text).toBe('Your approval is recorded (1 of 2 needed).');
    const again = await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'U_BOB',
      messageTs: bob.ts,
      actionId: 'approvals.approve',
    });
    await h.slack.waitUntil(() => again.responses().length > 0 || undefined);
    expect(again.responses()[0]!.body.text).toBe('You have already answered this request.');
    expect((await h.store.get(requestIdOf(handle.workflowId)))!.status).toBe('pending');

    const carol = await approvalMessage('U_CAROL', title);
    await h.slack.clickButton({
      user: 'U_CAROL',
      channel: 'U_CAROL',
      messageTs: carol.ts,
      actionId: 'approvals.approve',
    });
    const result = (await handle.result()) as ApprovalResult;
    expect(result).toMatchObject({ decision: 'approved', decidedBy: 'slack:U_CAROL' });
    expect(result.votes.map((v) => v.approver)).toEqual(['slack:U_BOB', 'slack:U_CAROL']);
  });

  it('an operator decides from the CLI path, recorded with via cli', async () => {
    const { decideApproval } = await import('../cli/approvals');
    const title = `Operator ${Date.now()}`;
    const handle = await h.probe({ title, approvers: { slackUsers: ['U_BOB'] }, timeout: '1 hour' });
    await approvalMessage('U_BOB', title);
    const lines: string[] = [];
    const io = {
      out: (t: string) => lines.push(t),
      err: (t: string) => lines.push(t),
      status: () => undefined,
      operator: 'ops-oncall',
    };
    await expect(
      decideApproval(
        { db: h.db, client: h.client, signer: h.signer },
        io,
        requestIdOf(handle.workflowId),
        false,
        undefined,
      ),
    ).rejects.toThrow(/needs a reason/);
    expect(
      await decideApproval(
        { db: h.db, client: h.client, signer: h.signer },
        io,
        requestIdOf(handle.workflowId),
        false,
        'not this quarter',
      ),
    ).toBe(0);
    expect(await handle.result()).toMatchObject({
      decision: 'rejected',
      decidedBy: 'cli:ops-oncall',
      via: 'cli',
      comment: 'not this quarter',
    });
    lines.length = 0;
    const { listApprovals } = await import('../cli/approvals');
    await listApprovals(h.db, io, false);
    expect(lines.find((l) => l.startsWith(requestIdOf(handle.workflowId)))).toMatch(
      /rejected by cli:ops-oncall via cli \("not this quarter"\)\s+Operator/,
    );
  });

  it('closes the request of a cancelled run: its messages say so and it no longer takes decisions', async () => {
    const title = `Cancelled ${Date.now()}`;
    const handle = await h.probe({ title, approvers: { slackUsers: ['U_BOB'] }, timeout: '1 hour' });
    const dm = await approvalMessage('U_BOB', title);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await h.slack.waitUntil(
      () =>
        blocksText(h.slack.messages('U_BOB').find((m) => m.ts === dm.ts)).includes('Cancelled') || undefined,
    );
    expect(await h.store.get(requestIdOf(handle.workflowId))).toMatchObject({
      status: 'expired',
      decidedBy: 'cancelled',
    });
  });

  it('runs the expense-approval sample: the manager approves in Slack, finance by email, both shown in the thread', async () => {
    const root = await h.app.client.chat.postMessage({
      channel: 'C_FINANCE',
      text: 'expense-approval started by <@U_ALICE>',
    });
    const description = `Team dinner ${Date.now()}`;
    const handle = await h.start(
      'expenseApproval',
      // The approvers (bob, then carol) come from the harness's policy, not from the input.
      { description, amount: 240, currency: 'EUR' },
      { slack: { channel: 'C_FINANCE', threadTs: root.ts! }, startedBy: 'slack:U_ALICE' },
    );
    const dm = await approvalMessage('U_BOB', description);
    expect(blocksText(dm)).toContain('expenses.reimburse');
    await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'U_BOB',
      messageTs: dm.ts,
      actionId: 'approvals.approve',
    });

    const mail = await h.mail.waitFor(
      (m) => m.to.includes('carol@example.com') && (m.parsed.subject ?? '').includes(description),
    );
    const link = new URL(/^Approve: (\S+)$/m.exec(mail.parsed.text ?? '')![1]!);
    const form = new URLSearchParams({
      r: link.searchParams.get('r')!,
      t: link.searchParams.get('t')!,
      d: 'approve',
      comment: 'Within policy',
    });
    expect((await fetch(new URL('/approvals/decide', link), { method: 'POST', body: form })).status).toBe(
      200,
    );

    const result = (await handle.result()) as {
      status: string;
      manager: ApprovalResult;
      finance: ApprovalResult;
    };
    expect(result.status).toBe('approved');
    expect(result.manager).toMatchObject({ decision: 'approved', decidedBy: 'slack:U_BOB', via: 'slack' });
    expect(result.finance).toMatchObject({
      decision: 'approved',
      decidedBy: 'email:carol@example.com',
      via: 'email-link',
      comment: 'Within policy',
    });
    const thread = await h.slack.waitUntil(() => {
      const replies = h.slack.thread('C_FINANCE', root.ts!).slice(1);
      return replies.length === 2 && replies.every((m) => blocksText(m).includes('Approved*'))
        ? replies
        : undefined;
    });
    expect(blocksText(thread[0])).toContain('by <@U_BOB> in Slack');
    expect(blocksText(thread[1])).toContain('by carol@example.com by email link');
    expect(blocksText(thread[1])).toContain('Within policy');
  });

  it('binds a decision to the exact action arguments: a vote for another hash is void on both sides', async () => {
    const title = `Transfer ${Date.now()}`;
    const handle = await h.probe({
      title,
      approvers: { slackUsers: ['U_BOB'] },
      timeout: '1 hour',
      action: { name: 'bank.transfer', args: { to: 'acme', amount: 1200 } },
    });
    const requestId = requestIdOf(handle.workflowId);
    const dm = await approvalMessage('U_BOB', title);
    expect(blocksText(dm)).toContain('bank.transfer');
    const forged = await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'U_BOB',
      messageTs: dm.ts,
      actionId: 'approvals.approve',
      value: JSON.stringify({ r: requestId, h: 'other-arguments' }),
    });
    await h.slack.waitUntil(() => forged.responses().length > 0 || undefined);
    expect(forged.responses()[0]!.body.text).toBe('This decision was for different action arguments.');
    // A signal sent around the bot counts nothing: the workflow refuses it and says so.
    const { approvalRefusalsQuery, legacyVoteSignal } = await import('../approvals/workflow/signals');
    await handle.signal(legacyVoteSignal, {
      requestId,
      approver: 'slack:U_BOB',
      approve: true,
      via: 'slack',
      actionHash: 'other-arguments',
      at: new Date().toISOString(),
    });
    await waitUntil(
      async () =>
        (await handle.query(approvalRefusalsQuery)).recent.some((r) => r.reason === 'unsigned-signal') ||
        undefined,
      'the refused signal',
    );
    await h.slack.clickButton({
      user: 'U_BOB',
      channel: 'U_BOB',
      messageTs: dm.ts,
      actionId: 'approvals.reject',
    });
    const opened = await h.slack.waitFor(
      'view_opened',
      (e) => e.user === 'U_BOB' && e.view.private_metadata.includes(requestId),
    );
    await h.slack.submitView({
      user: 'U_BOB',
      viewId: opened.view.id,
      values: { 'approvals.comment': { comment: 'wrong account' } },
    });
    expect(await handle.result()).toMatchObject({
      decision: 'rejected',
      comment: 'wrong account',
      votes: [{ approver: 'slack:U_BOB', approve: false }],
    });
    expect((await h.store.events({ requestId, kind: 'refused' })).map((e) => e.detail.reason)).toEqual([
      'action-mismatch',
    ]);
  });
});
