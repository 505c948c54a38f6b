import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { History } from '@temporalio/common/lib/proto-utils';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { payloadConverterPath } from '../core/temporal/data-converter';
import { decideAsOperator, openApproval } from './support/approvals';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

/**
 * Replays recorded histories of the sample workflow against today's workflow code. Committed
 * fixtures catch a non-deterministic change across commits; `RECORD_HISTORIES=1 npm test --
 * tests/replay.test.ts` refreshes them after an intended, versioned change.
 */
const fixturesDir = join(import.meta.dirname, 'fixtures', 'histories');
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let stack: Stack;
const fresh: { workflowId: string; history: History }[] = [];

beforeAll(async () => {
  stack = await startStack();
  const scenarios: [string, Record<string, unknown>, ((id: string) => Promise<void>)?][] = [
    ['auto-approved', { vendor: 'replay-small', amount: 12 }],
    [
      'reviewed',
      { vendor: 'replay-big', amount: 7000 },
      async (id) => {
        await decideAsOperator(stack, 'bob', await openApproval(stack, id), true);
      },
    ],
    [
      'rejected',
      { vendor: 'replay-no', amount: 7000 },
      async (id) => {
        await decideAsOperator(stack, 'bob', await openApproval(stack, id), false, 'no');
      },
    ],
    ['failed', { vendor: 'sanctioned-co', amount: 12 }],
  ];
  for (const [name, input, act] of scenarios) {
    const run = await stack.runs.start('invoice-review', input, {
      workflowId: `replay-${name}-${Date.now()}`,
    });
    await act?.(run.workflowId);
    await stack.runs
      .handle(run.workflowId)
      .result()
      .catch(() => undefined);
    const history = await stack.runs.handle(run.workflowId).fetchHistory();
    fresh.push({ workflowId: run.workflowId, history });
    if (process.env.RECORD_HISTORIES)
      writeFileSync(join(fixturesDir, `invoice-review-${name}.json`), historyToJSON(history));
  }
});
afterAll(async () => {
  await stack?.close();
});

async function replay(
  options: { workflowBundlePath?: string; code?: string },
  histories: { workflowId: string; history: History }[],
) {
  const results = [];
  for await (const result of Worker.runReplayHistories(
    {
      workflowBundle: options.code ? { code: options.code } : { codePath: options.workflowBundlePath! },
      dataConverter: { payloadConverterPath },
    },
    histories,
  )) {
    results.push({ workflowId: result.workflowId, error: result.error?.name });
  }
  return results;
}

describe('replay', () => {
  it('replays the committed histories of the sample workflow', async () => {
    const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const histories = files.map((file) => {
      const history = historyFromJSON(JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')));
      // The run's own id, as recorded: the code derives ids from it (approval request ids).
      const recorded = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId;
      return { workflowId: recorded ?? file, history };
    });
    const results = await replay({ workflowBundlePath: inject('workflowBundlePath') }, histories);
    expect(results).toEqual(histories.map(({ workflowId }) => ({ workflowId, error: undefined })));
  });

  it('replays fresh histories, and a non-deterministic change makes replay fail', async () => {
    const ok = await replay({ workflowBundlePath: inject('workflowBundlePath') }, fresh);
    expect(ok.every((r) => r.error === undefined)).toBe(true);

    const { code } = await bundleWorkflowCode({
      workflowsPath: join(import.meta.dirname, 'fixtures', 'nondeterministic', 'workflows.ts'),
      payloadConverterPath,
      logger: silent,
    });
    const broken = await replay({ code }, fresh.slice(0, 1));
    expect(broken).toEqual([{ workflowId: fresh[0]!.workflowId, error: 'DeterminismViolationError' }]);
  });
});
