import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { activityInfo } from '@temporalio/activity';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SlackMessage } from '@pantheon/local-slack';
import { actionHash } from '../approvals/action-hash';
import { Decider } from '../approvals/decider';
import { createApprovalHttpHandler } from '../approvals/http/handler';
import { ReplyHandler } from '../approvals/inbound/reply-handler';
import type { InboundReply } from '../approvals/inbound/reply-handler';
import type { ApprovalResult, SignedVote } from '../approvals/models';
import { commentLimit } from '../approvals/models';
import { decisionLink } from '../approvals/email/render';
import { approvalRefusalsQuery, approvalVoteUpdate, legacyVoteSignal } from '../approvals/workflow/signals';
import {
  approvalBundle,
  approvalTestActivities,
  startApprovalHarness,
  waitUntil,
} from '../approvals/testing/harness';
import type { ApprovalHarness } from '../approvals/testing/harness';
import { temporalVoteSender } from '../approvals/vote-sender';
import { newVoteSigningKey, parseVoteSigningKey } from '../approvals/votes/keys';
import { createDataConverter } from '../core/temporal/data-converter';
import { payloadConverter } from '../core/temporal/payload-converter';

let h: ApprovalHarness;
let replies: ReplyHandler;
beforeAll(async () => {
  h = await startApprovalHarness({ temporalAddress: inject('temporalAddress') });
  replies = new ReplyHandler({
    db: h.db,
    decider: h.decider,
    tokens: h.tokens,
    replyDomain: h.config.APPROVALS_REPLY_DOMAIN!,
  });
});
afterAll(async () => {
  await h?.close();
});

const requestIdOf = (workflowId: string) => `${workflowId}/approval-1`;
const uniqueTitle = (what: string) => `${what} ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;

async function approvalMessage(where: string, title: string): Promise<SlackMessage> {
  return h.slack.waitUntil(
    () =>
      h.slack
        .messages(where)
        .find((m) => m.text.includes(title) && m.blocks?.some((b) => b.type === 'actions')),
    15_000,
  );
}

async function refusalsOf(handle: WorkflowHandle): Promise<string[]> {
  return (await handle.query(approvalRefusalsQuery)).recent.map((r) => r.reason);
}

async function isRunning(handle: WorkflowHandle): Promise<boolean> {
  return (await handle.describe()).status.name === 'RUNNING';
}

/** What the workflow's history shows of an accepted vote: anyone who can read history can copy it. */
async function acceptedVotes(handle: WorkflowHandle): Promise<SignedVote[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).flatMap((e) => {
    const payloads =
      e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? [];
    return payloads.map((p) => payloadConverter.fromPayload<SignedVote>(p));
  });
}

async function refusedByUpdate(send: Promise<unknown>): Promise<string> {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as { type?: string }).type ?? '';
}

interface EmailRequest {
  handle: WorkflowHandle;
  requestId: string;
  approve: string;
  token: string;
  replyTo: string;
}

async function requestByEmail(title: string, startedBy?: string): Promise<EmailRequest> {
  const handle = await h.probe(
    { title, approvers: { emails: ['carol@example.com'] }, timeout: '1 hour', allowComment: true },
    startedBy ? { startedBy } : undefined,
  );
  const mail = await h.mail.waitFor(
    (m) => m.to.includes('carol@example.com') && (m.parsed.subject ?? '').includes(title),
  );
  const approve = /^Approve: (\S+)$/m.exec(mail.parsed.text ?? '')![1]!;
  return {
    handle,
    requestId: requestIdOf(handle.workflowId),
    approve,
    token: new URL(approve).searchParams.get('t')!,
    replyTo: mail.parsed.replyTo!.value[0]!.address!,
  };
}

async function post(
  base: string,
  link: string,
  fields: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(link);
  const form = new URLSearchParams({
    r: url.searchParams.get('r')!,
    t: url.searchParams.get('t')!,
    d: url.searchParams.get('d')!,
    ...fields,
  });
  const res = await fetch(new URL('/approvals/decide', base), { method: 'POST', body: form });
  return { status: res.status, body: await res.text() };
}

/** An authenticated reply as SMTP or Gmail hand it over (tests/approvals-email.test.ts covers the authentication). */
function authenticatedReply(to: string, text: string): InboundReply {
  return {
    source: 'smtp',
    messageId: `<${Math.random().toString(36).slice(2)}@example.com>`,
    from: 'carol@example.com',
    recipients: [to],
    text,
    authenticated: true,
    authentication: 'dmarc=pass',
  };
}

describe('vote verification', () => {
  it('uses the preloaded verifier, whose Ed25519 tables outlive each run (≈1 ms a vote, not ≈4)', async () => {
    const modes = await Promise.all(
      [1, 2].map((i) =>
        h
          .start('verifierMode', undefined, { workflowId: `verifier-mode-${i}-${Date.now()}` })
          .then((run) => run.result()),
      ),
    );
    expect(modes).toEqual([true, true]);
  });
});

describe('forged votes from a plain Temporal client', () => {
  it('an unsigned signal, an unsigned or wrongly signed Update and a replayed signed vote decide nothing; the refusals are kept', async () => {
    // Outside the bot: its own connection and the run's data converter — everything but the signing key.
    const connection = await Connection.connect({ address: h.config.TEMPORAL_ADDRESS });
    const outsider = new Client({
      connection,
      namespace: h.config.TEMPORAL_NAMESPACE,
      dataConverter: createDataConverter(h.config),
    });
    try {
      const action = { name: 'bank.transfer', args: { to: 'mallory', amount: 9_000 } };
      const [titleA, titleB] = [uniqueTitle('Transfer A'), uniqueTitle('Transfer B')];
      const first = await h.probe({
        title: titleA,
        approvers: { slackUsers: ['U_BOB'] },
        timeout: '1 hour',
        action,
      });
      const target = await h.probe({
        title: titleB,
        approvers: { slackUsers: ['U_BOB'] },
        timeout: '1 hour',
        action,
      });
      const requestId = requestIdOf(target.workflowId);
      await h.notified(requestId);
      const handle = outsider.workflow.getHandle(target.workflowId);
      const { runId } = await handle.describe();
      const hash = actionHash(action);
      const at = new Date().toISOString();

      // 1. The old signal, as an operator, with the right action hash: it used to approve.
      await handle.signal(legacyVoteSignal, {
        requestId,
        approver: 'cli:mallory',
        approve: true,
        via: 'cli',
        actionHash: hash,
        at,
      });
      // 2. An Update without a signature, and one signed with a key the workers do not know.
      const vote = {
        requestId,
        approver: 'slack:U_BOB',
        approve: true,
        via: 'slack' as const,
        actionHash: hash,
        at,
      };
      expect(
        await refusedByUpdate(
          handle.executeUpdate(approvalVoteUpdate, { args: [{ vote, runId } as unknown as SignedVote] }),
        ),
      ).toBe('malformed');
      const stranger = parseVoteSigningKey(newVoteSigningKey('t1'));
      expect(
        await refusedByUpdate(
          handle.executeUpdate(approvalVoteUpdate, {
            args: [stranger.sign(runId, vote, new Date(Date.now() + 60_000))],
          }),
        ),
      ).toBe('bad-signature');

      // 3. Bob really approves request A; its signed vote, copied from A's history, replayed on B.
      const dm = await approvalMessage('U_BOB', titleA);
      await h.slack.clickButton({
        user: 'U_BOB',
        channel: 'U_BOB',
        messageTs: dm.ts,
        actionId: 'approvals.approve',
      });
      expect(await first.result()).toMatchObject({ decision: 'approved', decidedBy: 'slack:U_BOB' });
      const [copied] = await acceptedVotes(outsider.workflow.getHandle(first.workflowId));
      expect(copied!.vote).toMatchObject({ approver: 'slack:U_BOB', approve: true });
      expect(await refusedByUpdate(handle.executeUpdate(approvalVoteUpdate, { args: [copied!] }))).toBe(
        'wrong-run',
      );
      const retargeted = { ...copied!, runId, vote: { ...copied!.vote, requestId } };
      expect(await refusedByUpdate(handle.executeUpdate(approvalVoteUpdate, { args: [retargeted] }))).toBe(
        'bad-signature',
      );
      // …and a signed vote of B with its decision flipped.
      const legit = h.signer.sign(
        runId,
        { ...vote, approve: false, comment: 'no' },
        new Date(Date.now() + 60_000),
      );
      expect(
        await refusedByUpdate(
          handle.executeUpdate(approvalVoteUpdate, {
            args: [{ ...legit, vote: { ...legit.vote, approve: true } }],
          }),
        ),
      ).toBe('bad-signature');

      expect(await isRunning(target)).toBe(true);
      expect((await h.store.get(requestId))!.status).toBe('pending');
      expect(await refusalsOf(target)).toEqual([
        'unsigned-signal',
        'malformed',
        'bad-signature',
        'wrong-run',
        'bad-signature',
        'bad-signature',
      ]);
      // Refused Updates leave no trace in history (nothing to bloat it with).
      const { events } = await target.fetchHistory();
      expect((events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(0);

      // Decided properly, the run completes with the real decision.
      const bobs = await approvalMessage('U_BOB', titleB);
      await h.slack.clickButton({
        user: 'U_BOB',
        channel: 'U_BOB',
        messageTs: bobs.ts,
        actionId: 'approvals.reject',
      });
      const opened = await h.slack.waitFor(
        'view_opened',
        (e) => e.user === 'U_BOB' && e.view.private_metadata.includes(requestId),
      );
      await h.slack.submitView({
        user: 'U_BOB',
        viewId: opened.view.id,
        values: { 'approvals.comment': { comment: 'not to mallory' } },
      });
      expect(await target.result()).toMatchObject({
        decision: 'rejected',
        decidedBy: 'slack:U_BOB',
        comment: 'not to mallory',
        votes: [{ approver: 'slack:U_BOB', approve: false }],
      });
      expect((await h.store.get(requestId))!).toMatchObject({ status: 'rejected', decidedBy: 'slack:U_BOB' });
    } finally {
      await connection.close();
    }
  });
});

describe('the decider commits only what the workflow accepted', () => {
  it('a comment over the limit is cut visibly, and the decision lands in Postgres and in the workflow', async () => {
    const r = await requestByEmail(uniqueTitle('Long comment'));
    const page = await (await fetch(r.approve)).text();
    expect(page).toContain(`maxlength="${commentLimit}"`);
    expect(page).toContain(`up to ${commentLimit} characters`);
    const long = 'é'.repeat(5000);
    const decided = await post(h.httpUrl, r.approve, { comment: long });
    expect(decided).toMatchObject({ status: 200 });
    expect(decided.body).toContain('is approved');
    const result = (await r.handle.result()) as ApprovalResult;
    expect(result.comment).toHaveLength(commentLimit);
    expect(result.comment!.endsWith('… (truncated)')).toBe(true);
    expect((await h.store.get(r.requestId))!).toMatchObject({ status: 'approved', comment: result.comment });
  });

  it('a reply with a long comment is truncated, never refused for length', async () => {
    const r = await requestByEmail(uniqueTitle('Long reply'));
    const outcome = await replies.handle(authenticatedReply(r.replyTo, `approve\n${'word '.repeat(1500)}`));
    expect(outcome).toMatchObject({ kind: 'decided', decision: 'approved' });
    const result = (await r.handle.result()) as ApprovalResult;
    expect(result.comment!.endsWith('… (truncated)')).toBe(true);
    expect((await h.store.get(r.requestId))!.comment).toBe(result.comment);
  });

  it('a vote the workflow refuses rolls back: the token stays usable, no vote row, a refused event, and the approver is told why', async () => {
    // A bot whose signing key the workers do not know (a botched rotation, say).
    const misconfigured = new Decider({
      store: h.store,
      signer: parseVoteSigningKey(newVoteSigningKey('t1')),
      send: temporalVoteSender(h.client),
    });
    const server: Server = createServer();
    const handler = createApprovalHttpHandler({ decider: misconfigured, tokens: h.tokens });
    server.on('request', (req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await requestByEmail(uniqueTitle('Refused'));
      const refused = await post(base, r.approve, { comment: 'fine by me' });
      expect(refused.status).toBe(409);
      expect(refused.body).toContain('The vote is not signed by a known key.');
      const replied = await new ReplyHandler({
        db: h.db,
        decider: misconfigured,
        tokens: h.tokens,
        replyDomain: h.config.APPROVALS_REPLY_DOMAIN!,
      }).handle(authenticatedReply(r.replyTo, 'approve'));
      expect(replied).toMatchObject({
        kind: 'refused',
        reason: 'workflow-refused',
        message: 'The vote is not signed by a known key.',
      });

      expect(await h.tokens.verify(r.token)).toMatchObject({ ok: true });
      expect(await h.store.events({ requestId: r.requestId, kind: 'vote' })).toHaveLength(0);
      expect((await h.store.get(r.requestId))!.status).toBe('pending');
      const events = await h.store.events({ requestId: r.requestId, kind: 'refused' });
      expect(events.map((e) => [e.via, e.detail.reason, e.detail.workflowReason])).toEqual([
        ['email-link', 'workflow-refused', 'bad-signature'],
        ['email-reply', 'workflow-refused', 'bad-signature'],
      ]);
      // The same link still works through the real bot.
      expect((await post(h.httpUrl, r.approve)).body).toContain('is approved');
      expect(await r.handle.result()).toMatchObject({
        decision: 'approved',
        decidedBy: 'email:carol@example.com',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an escalation approver voting before the workflow has added them is counted once it has', async () => {
    await h.stopWorkers();
    // The escalation is recorded in Postgres, but its result reaches the workflow only when we let it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const connection = await NativeConnection.connect({ address: h.config.TEMPORAL_ADDRESS });
    const { registry, close } = approvalTestActivities(h.config, h.db);
    const worker = await Worker.create({
      connection,
      namespace: h.config.TEMPORAL_NAMESPACE,
      taskQueue: h.taskQueue,
      workflowBundle: { codePath: await approvalBundle() },
      activities: registry.forTier('light'),
      dataConverter: createDataConverter(h.config),
      interceptors: {
        activity: [
          () => ({
            inbound: {
              async execute(input, next) {
                const result = await next(input);
                if (activityInfo().activityType === 'approvals.escalate') await held;
                return result;
              },
            },
          }),
        ],
      },
    });
    const running = worker.run();
    try {
      const title = uniqueTitle('Escalated');
      const handle = await h.probe(
        {
          title,
          approvers: { slackUsers: ['U_BOB'] },
          timeout: '2 seconds',
          reminders: [],
          onTimeout: { escalateTo: { slackUsers: ['U_CAROL'] }, timeout: '1 hour' },
        },
        { slack: { channel: 'C_OPS' } },
      );
      const requestId = requestIdOf(handle.workflowId);
      const inChannel = await approvalMessage('C_OPS', title);
      await waitUntil(
        async () => (await h.store.get(requestId))?.approvers.includes('slack:U_CAROL') || undefined,
        'the escalation in Postgres',
      );
      // Carol sees the channel copy and approves while the workflow still waits for the escalation.
      const click = await h.slack.clickButton({
        user: 'U_CAROL',
        channel: 'C_OPS',
        messageTs: inChannel.ts,
        actionId: 'approvals.approve',
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(click.responses()).toHaveLength(0); // still waiting for the workflow, nothing recorded
      expect((await h.store.get(requestId))!.status).toBe('pending');
      release();
      expect(await handle.result()).toMatchObject({
        decision: 'approved',
        decidedBy: 'slack:U_CAROL',
        via: 'slack',
      });
      expect((await h.store.get(requestId))!).toMatchObject({
        status: 'approved',
        decidedBy: 'slack:U_CAROL',
      });
      expect((await h.store.events({ requestId, kind: 'vote' })).map((e) => e.actor)).toEqual([
        'slack:U_CAROL',
      ]);
    } finally {
      release();
      worker.shutdown();
      await running;
      close();
      await connection.close();
      await h.startWorkers();
    }
  });
});

describe('the requester never decides their own approval', () => {
  const selfApproval = 'You started this run; someone else must approve it.';

  it('is left out of the approvers, and refused on the channel card’s buttons and in a vote signed by the real key sent around the bot', async () => {
    const title = uniqueTitle('Own Slack');
    const handle = await h.probe(
      { title, approvers: { slackUsers: ['U_BOB', 'U_CAROL'] }, timeout: '1 hour' },
      { startedBy: 'slack:U_BOB', slack: { channel: 'C_OPS' } },
    );
    const requestId = requestIdOf(handle.workflowId);
    // The policy drops the requester: Carol gets the card, Bob only sees the channel copy.
    await approvalMessage('U_CAROL', title);
    expect((await h.store.get(requestId))!.approvers).toEqual(['slack:U_CAROL']);
    expect(h.slack.messages('U_BOB').some((m) => m.text.includes(title))).toBe(false);
    const inChannel = await approvalMessage('C_OPS', title);
    for (const actionId of ['approvals.approve', 'approvals.reject']) {
      const click = await h.slack.clickButton({
        user: 'U_BOB',
        channel: 'C_OPS',
        messageTs: inChannel.ts,
        actionId,
      });
      await h.slack.waitUntil(() => click.responses().length > 0 || undefined);
      expect(click.responses()[0]!.body.text).toBe(selfApproval);
    }
    const { runId } = await handle.describe();
    const signed = h.signer.sign(
      runId,
      { requestId, approver: 'slack:U_BOB', approve: true, via: 'slack', at: new Date().toISOString() },
      new Date(Date.now() + 60_000),
    );
    expect(await refusedByUpdate(handle.executeUpdate(approvalVoteUpdate, { args: [signed] }))).toBe(
      'self-approval',
    );
    expect(await refusalsOf(handle)).toContain('self-approval');
    expect((await h.store.events({ requestId, kind: 'refused' })).map((e) => e.detail.reason)).toEqual([
      'self-approval',
      'self-approval',
    ]);
    expect((await h.store.get(requestId))!.status).toBe('pending');

    await h.slack.clickButton({
      user: 'U_CAROL',
      channel: 'C_OPS',
      messageTs: inChannel.ts,
      actionId: 'approvals.approve',
    });
    expect(await handle.result()).toMatchObject({ decision: 'approved', decidedBy: 'slack:U_CAROL' });
  });

  it('gets no approval email, and a link or reply token in their name (minted outside the policy) is refused', async () => {
    const title = uniqueTitle('Own email');
    const handle = await h.probe(
      {
        title,
        approvers: { emails: ['carol@example.com', 'dave@example.com'] },
        timeout: '1 hour',
        allowComment: true,
      },
      { startedBy: 'email:carol@example.com' },
    );
    const requestId = requestIdOf(handle.workflowId);
    await h.mail.waitFor(
      (m) => m.to.includes('dave@example.com') && (m.parsed.subject ?? '').includes(title),
    );
    const request = (await h.store.get(requestId))!;
    expect(request.approvers).toEqual(['email:dave@example.com']);
    expect(
      h.mail.mails.some(
        (m) => m.to.includes('carol@example.com') && (m.parsed.subject ?? '').includes(title),
      ),
    ).toBe(false);

    // Someone with the token key mints Carol a token anyway: the bot still refuses her.
    const token = await h.tokens.issue({
      requestId,
      approver: 'carol@example.com',
      expiresAt: request.deadline,
    });
    const approve = decisionLink(h.config.PUBLIC_URL, requestId, token, 'approve');
    const page = await fetch(approve);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain(selfApproval);
    const posted = await post(h.httpUrl, approve);
    expect(posted.status).toBe(409);
    expect(posted.body).toContain(selfApproval);
    const replied = await replies.handle(
      authenticatedReply(`approvals+${token}@${h.config.APPROVALS_REPLY_DOMAIN!}`, 'approve'),
    );
    expect(replied).toMatchObject({ kind: 'refused', reason: 'self-approval', message: selfApproval });
    expect(await isRunning(handle)).toBe(true);
    expect((await h.store.get(requestId))!.status).toBe('pending');
    await handle.cancel();
  });

  it('not from the CLI, even as an operator; another operator can', async () => {
    const { decideApproval } = await import('../cli/approvals');
    const handle = await h.probe(
      { title: uniqueTitle('Own CLI'), approvers: { slackUsers: ['U_BOB'] }, timeout: '1 hour' },
      { startedBy: 'cli:ops-oncall' },
    );
    const requestId = requestIdOf(handle.workflowId);
    await h.notified(requestId);
    const lines: string[] = [];
    const io = (operator: string) => ({
      out: (t: string) => lines.push(t),
      err: (t: string) => lines.push(t),
      status: () => undefined,
      operator,
    });
    expect(
      await decideApproval(
        { db: h.db, client: h.client, signer: h.signer },
        io('ops-oncall'),
        requestId,
        true,
        undefined,
      ),
    ).toBe(1);
    expect(lines).toEqual([selfApproval]);
    expect(
      await decideApproval(
        { db: h.db, client: h.client, signer: h.signer },
        io('ops-lead'),
        requestId,
        true,
        undefined,
      ),
    ).toBe(0);
    expect(await handle.result()).toMatchObject({
      decision: 'approved',
      decidedBy: 'cli:ops-lead',
      via: 'cli',
    });
  });
});
