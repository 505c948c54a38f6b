/**
 * registry-overhead: time per activity when a workflow runs N activities through Pantheon's
 * registry (validation both ways) and data converter, against plain Temporal activities with the
 * default converter, in the same run on the same dev server. Goal: ratio ≤ 1.10.
 */
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { ActivityRegistry, implementActivity } from '../core/registry/activity-registry';
import { createDataConverter, payloadConverterPath } from '../core/temporal/data-converter';
import { temporalCliPath } from '../tests/support/binaries';
import { summaryLine } from './stats';
import { echoSpec } from './workflows/echo-spec';
import type { EchoInput } from './workflows/echo-spec';

const activitiesPerRun = 10;
const runs = Number(process.env.BENCH_RUNS ?? 40);
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
Runtime.install({ logger: new DefaultLogger('ERROR') });

const env = await TestWorkflowEnvironment.createLocal({
  server: {
    executable: { type: 'existing-path', path: temporalCliPath() },
    extraArgs: ['--log-level', 'error'],
  },
});
const workflowsPath = join(import.meta.dirname, 'workflows', 'index.ts');
const dataConverter = createDataConverter({
  PAYLOAD_ENCRYPTION_KEYS: undefined,
  PAYLOAD_ENCRYPTION_KEY_ID: undefined,
});
const [oursBundle, baselineBundle] = await Promise.all([
  bundleWorkflowCode({ workflowsPath, payloadConverterPath, logger: silent }),
  bundleWorkflowCode({ workflowsPath, logger: silent }),
]);

const registry = new ActivityRegistry().register(implementActivity(echoSpec, async (input) => input));
const oursWorker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: 'bench-ours-light',
  workflowBundle: oursBundle,
  activities: registry.forTier('light'),
  dataConverter,
});
const baselineWorker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: 'bench-baseline-light',
  workflowBundle: baselineBundle,
  activities: { echo: async (input: EchoInput) => input },
});
const oursClient = new Client({ connection: env.connection, dataConverter });

async function timeOne(client: Client, workflow: string, taskQueue: string, id: string): Promise<number> {
  const started = performance.now();
  await client.workflow.execute(workflow, { taskQueue, workflowId: id, args: [activitiesPerRun] });
  return (performance.now() - started) / activitiesPerRun;
}

const ours: number[] = [];
const baseline: number[] = [];
await Promise.all([
  oursWorker.runUntil(async () => {
    await baselineWorker.runUntil(async () => {
      // Warm up both paths, then interleave so machine noise hits both alike.
      for (let i = 0; i < 3; i++) {
        await timeOne(oursClient, 'ours', 'bench-ours-light', `warm-ours-${i}`);
        await timeOne(env.client, 'baseline', 'bench-baseline-light', `warm-base-${i}`);
      }
      for (let i = 0; i < runs; i++) {
        ours.push(await timeOne(oursClient, 'ours', 'bench-ours-light', `ours-${i}`));
        baseline.push(await timeOne(env.client, 'baseline', 'bench-baseline-light', `base-${i}`));
      }
    });
  }),
]);
await env.teardown();
console.log(`${runs} runs × ${activitiesPerRun} activities each, per-activity latency`);
console.log(summaryLine('registry-overhead', ours, baseline, 'ratio ≤ 1.10'));
