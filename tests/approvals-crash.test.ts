import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { approvalBundle, startApprovalHarness, waitUntil } from '../approvals/testing/harness';
import type { ApprovalHarness } from '../approvals/testing/harness';
import { stopProcess } from './support/worker-process';

let h: ApprovalHarness;
const children: ChildProcess[] = [];
beforeAll(async () => {
  // Listeners, links and Temporal client here; workflows and activities in a child we can kill.
  h = await startApprovalHarness({ temporalAddress: inject('temporalAddress'), workers: false });
});
afterAll(async () => {
  await Promise.all(children.map((c) => stopProcess(c, 'SIGKILL')));
  await h?.close();
});

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('approvals', 'testing', 'worker-main.ts')], {
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      ...h.env,
      APPROVAL_TEST_TASK_QUEUE: h.taskQueue,
      APPROVAL_TEST_BUNDLE: await approvalBundle(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`worker not ready after 30s:\n${output}`)), 30_000).unref();
  });
  return child;
}

it('a run waiting for approval survives its worker being SIGKILLed: the decision after the restart completes it', async () => {
  const first = await startWorker();
  const title = `Crash ${Date.now()}`;
  const handle = await h.probe({ title, approvers: { slackUsers: ['U_BOB'] }, timeout: '1 hour' });
  const requestId = `${handle.workflowId}/approval-1`;
  await h.notified(requestId);
  // Kill it once the run is really waiting (open and notify completed), not mid-activity.
  await waitUntil(
    async () =>
      ((await handle.fetchHistory()).events ?? []).filter((e) => e.activityTaskCompletedEventAttributes)
        .length >= 2 || undefined,
    'the run to wait',
  );
  await stopProcess(first, 'SIGKILL');

  await startWorker();
  const dm = await h.slack.waitUntil(() => h.slack.messages('U_BOB').find((m) => m.text.includes(title)));
  await h.slack.clickButton({
    user: 'U_BOB',
    channel: 'U_BOB',
    messageTs: dm.ts,
    actionId: 'approvals.approve',
  });
  expect(await handle.result()).toMatchObject({ decision: 'approved', decidedBy: 'slack:U_BOB' });
  await h.slack.waitUntil(
    () =>
      JSON.stringify(h.slack.messages('U_BOB').find((m) => m.ts === dm.ts)?.blocks).includes('Approved') ||
      undefined,
    10_000,
  );
  // Exactly one request message: the restarted worker did not notify again.
  expect((await h.store.events({ requestId, kind: 'notified' })).length).toBe(1);
}, 90_000);
