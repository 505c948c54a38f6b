/**
 * approval-roundtrip: from a signed Approve click (local Slack → Bolt → our listener → Postgres →
 * Ed25519-signed Update, verified in the workflow, committed on acceptance) to the workflow resumed
 * and the approval message updated in Slack, against a bare
 * Temporal signal round trip (signal → workflow wakes and completes → result) on the same dev
 * server in the same run. Goal: ratio ≤ 2. Slack writes go through the real delivery queue (Redis);
 * BENCH_DELIVERY=direct sends them straight to the Web API instead.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startApprovalHarness, quietRuntime } from '../approvals/testing/harness';
import { pingSignal } from '../approvals/testing/workflows';
import { temporalCliPath } from '../tests/support/binaries';
import { summaryLine } from './stats';

const runs = Number(process.env.BENCH_RUNS ?? 30);
quietRuntime();
const env = await TestWorkflowEnvironment.createLocal({
  server: {
    executable: { type: 'existing-path', path: temporalCliPath() },
    extraArgs: ['--log-level', 'error'],
  },
});
const queued = process.env.BENCH_DELIVERY !== 'direct';
const h = await startApprovalHarness({ temporalAddress: env.address, queueDelivery: queued });

async function approvalOnce(i: number): Promise<number> {
  const title = `Bench approval ${i} ${Date.now()}`;
  const handle = await h.probe({
    title,
    approvers: { slackUsers: ['U_BOB'] },
    timeout: '1 hour',
    reminders: [],
  });
  const dm = await h.slack.waitUntil(
    () => h.slack.messages('U_BOB').find((m) => m.text.includes(title)),
    20_000,
  );
  // People click seconds later, never within the queue's 1.1 s per-channel pacing of the post.
  if (queued) await new Promise((resolve) => setTimeout(resolve, 1200));
  const since = h.slack.seq;
  const started = performance.now();
  const updated = h.slack.waitFor('message_updated', (e) => e.message.ts === dm.ts, {
    since,
    timeoutMs: 20_000,
  });
  await h.slack.clickButton({
    user: 'U_BOB',
    channel: 'U_BOB',
    messageTs: dm.ts,
    actionId: 'approvals.approve',
  });
  await updated;
  const elapsed = performance.now() - started;
  await handle.result();
  return elapsed;
}

async function signalOnce(i: number): Promise<number> {
  const handle = await h.start('signalRoundTrip', undefined, {
    workflowId: `bench-signal-${i}-${Date.now()}`,
  });
  // Let the run reach its wait before timing: a query answers only after the first workflow task.
  await handle.query('__stack_trace');
  const started = performance.now();
  await handle.signal(pingSignal);
  await handle.result();
  return performance.now() - started;
}

const ours: number[] = [];
const baseline: number[] = [];
try {
  for (let i = 0; i < 3; i++) {
    await approvalOnce(-1 - i);
    await signalOnce(-1 - i);
  }
  for (let i = 0; i < runs; i++) {
    ours.push(await approvalOnce(i));
    baseline.push(await signalOnce(i));
  }
} finally {
  await h.close();
  await env.teardown();
}
console.log(
  `${runs} approvals (${queued ? 'delivery queue' : 'direct Slack writes'}): click → workflow resumed → message updated, vs signal → workflow completed → result`,
);
console.log(summaryLine('approval-roundtrip', ours, baseline, 'ratio ≤ 2'));
