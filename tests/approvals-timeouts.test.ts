import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApprovalResult } from '../approvals/models';
import { quietRuntime, startApprovalHarness, waitUntil } from '../approvals/testing/harness';
import type { ApprovalHarness } from '../approvals/testing/harness';
import { createDataConverter } from '../core/temporal/data-converter';
import { timeSkippingServerPath } from './support/binaries';

// Day-long deadlines on Temporal's time-skipping test server: timers jump, activities stay real.
let env: TestWorkflowEnvironment;
let h: ApprovalHarness;
beforeAll(async () => {
  quietRuntime();
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: timeSkippingServerPath() } },
    client: {
      dataConverter: createDataConverter({
        PAYLOAD_ENCRYPTION_KEYS: undefined,
        PAYLOAD_ENCRYPTION_KEY_ID: undefined,
      }),
    },
  });
  h = await startApprovalHarness({
    temporal: { client: env.client, nativeConnection: env.nativeConnection },
    voteTtlMs: 7 * 24 * 3_600_000,
  });
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

it('reminds before the deadline, escalates on timeout, and the escalation approver approves by email', async () => {
  const title = `Vendor onboarding ${Date.now()}`;
  const handle = await h.probe({
    title,
    approvers: { slackUsers: ['U_BOB'] },
    timeout: '24 hours',
    reminders: ['2 hours'],
    onTimeout: { escalateTo: { emails: ['carol@example.com'] }, timeout: '24 hours' },
  });
  const requestId = `${handle.workflowId}/approval-1`;
  await h.notified(requestId);
  const started = await env.currentTimeMs();

  await env.sleep('23 hours'); // past the reminder at 22 h
  await waitUntil(
    async () => (await h.store.events({ requestId, kind: 'reminded' })).length === 1 || undefined,
    'the reminder',
  );
  const reminder = await h.slack.waitUntil(() =>
    h.slack.messages('U_BOB').find((m) => m.text.startsWith('⏰ Reminder') && m.text.includes(title)),
  );
  expect(reminder).toBeDefined();

  await env.sleep('2 hours'); // past the deadline
  const mail = await h.mail.waitFor(
    (m) => m.to.includes('carol@example.com') && (m.parsed.subject ?? '').includes(title),
  );
  expect(mail.parsed.subject).toMatch(/^Escalated: /);
  expect((await h.store.get(requestId))!.stage).toBe('escalation');
  const link = /^Approve: (\S+)$/m.exec(mail.parsed.text ?? '')![1]!;
  const url = new URL(link);
  const res = await fetch(new URL('/approvals/decide', url), {
    method: 'POST',
    body: new URLSearchParams({ r: url.searchParams.get('r')!, t: url.searchParams.get('t')!, d: 'approve' }),
  });
  expect(res.status).toBe(200);

  const result = (await handle.result()) as ApprovalResult;
  expect(result).toMatchObject({
    decision: 'approved',
    decidedBy: 'email:carol@example.com',
    via: 'email-link',
  });
  expect((await env.currentTimeMs()) - started).toBeGreaterThanOrEqual(24 * 3_600_000);
  const kinds = (await h.store.events({ requestId })).map((e) => e.kind);
  expect(kinds).toEqual(['requested', 'notified', 'reminded', 'escalated', 'notified', 'vote', 'decided']);
  // Bob's copies (request and reminder) now say who decided.
  await h.slack.waitUntil(
    () =>
      h.slack
        .messages('U_BOB')
        .filter((m) => m.text.includes(title) && JSON.stringify(m.blocks).includes('Approved')).length ===
        2 || undefined,
  );
});

it('expires a request nobody answers and updates its messages', async () => {
  const title = `Quiet ${Date.now()}`;
  const handle = await h.probe(
    { title, approvers: { slackUsers: ['U_BOB'] }, timeout: '24 hours', reminders: [] },
    { slack: { channel: 'C_OPS' } },
  );
  await h.notified(`${handle.workflowId}/approval-1`, 2);
  const result = (await handle.result()) as ApprovalResult; // the time-skipping client jumps the 24 h
  expect(result).toMatchObject({ decision: 'expired', decidedBy: 'timeout', via: 'timeout', votes: [] });
  const copy = await h.slack.waitUntil(() =>
    h.slack
      .messages('C_OPS')
      .find((m) => m.text.includes(title) && JSON.stringify(m.blocks).includes('Expired')),
  );
  expect(JSON.stringify(copy.blocks)).not.toContain('approvals.approve');
  expect((await h.store.get(`${handle.workflowId}/approval-1`))!.status).toBe('expired');
});
