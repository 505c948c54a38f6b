import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { startWorkerProcess, stopProcess } from './support/worker-process';

let stack: Stack;
const children: ChildProcess[] = [];
beforeAll(async () => {
  // Workflows and the heavy tier run here; the light tier (which writes the ledger) runs in a
  // child process we can SIGKILL in the middle of the write's activity.
  stack = await startStack({ WORKFLOW_TIER: 'heavy', SAMPLE_RECORD_LATENCY_MS: '4000' }, { workers: false });
  await stack.startWorkers(['heavy']);
});
afterAll(async () => {
  await Promise.all(children.map((c) => stopProcess(c, 'SIGKILL')));
  await stack?.close();
});

it('completes a run whose worker was SIGKILLed mid-activity, writing its side effect exactly once', async () => {
  children.push(
    await startWorkerProcess('light', {
      ...stack.env,
      WORKFLOW_TIER: 'heavy',
      SAMPLE_RECORD_LATENCY_MS: '4000',
    }),
  );
  const vendor = `crash-${Date.now()}`;
  const run = await stack.runs.start('invoice-review', { vendor, amount: 50 });
  const key = `${run.workflowId}/ledger`;

  // Wait until the activity has written its row and is still running, then kill the worker.
  for (let i = 0; ; i++) {
    const { rows } = await stack.db.query('SELECT 1 FROM ledger_entries WHERE idempotency_key = $1', [key]);
    if (rows.length) break;
    if (i > 300) throw new Error('the ledger row never appeared');
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopProcess(children[0]!, 'SIGKILL');
  children.push(
    await startWorkerProcess('light', {
      ...stack.env,
      WORKFLOW_TIER: 'heavy',
      SAMPLE_RECORD_LATENCY_MS: '0',
    }),
  );

  const result = await stack.runs.handle(run.workflowId).result();
  expect(result).toMatchObject({ vendor, decision: 'auto-approved' });
  const { rows } = await stack.db.query<{ id: string }>(
    'SELECT id FROM ledger_entries WHERE idempotency_key = $1',
    [key],
  );
  expect(rows).toHaveLength(1);
  expect(result).toMatchObject({ ledgerEntryId: rows[0]!.id });

  // The activity really ran twice: the second attempt found the row and did not write again.
  const history = await stack.runs.handle(run.workflowId).fetchHistory();
  const recordStarted = history.events!.find(
    (e) =>
      e.activityTaskStartedEventAttributes &&
      history.events!.find(
        (s) => s.eventId?.toString() === e.activityTaskStartedEventAttributes!.scheduledEventId?.toString(),
      )?.activityTaskScheduledEventAttributes?.activityType?.name === 'invoices.record',
  );
  expect(recordStarted?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThan(1);
}, 90_000);
