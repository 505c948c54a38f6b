import { join } from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { taskQueueFor } from '../../core/config';
import { createDataConverter } from '../../core/temporal/data-converter';
import type { Stack } from './stack';

export interface FixtureWorker {
  /** Where to start the fixture's workflows: the stack's heavy queue. */
  readonly taskQueue: string;
  close(): Promise<void>;
}

/**
 * A worker for a test-only workflow file (tests/fixtures/<name>/workflows.ts) beside a stack's
 * tier workers: its workflow tasks on the heavy queue (the tier workers poll only that queue's
 * activities), so the workflow's activities go to each spec's tier queue, derived from that name.
 */
export async function startFixtureWorker(stack: Stack, fixture: string): Promise<FixtureWorker> {
  const taskQueue = taskQueueFor(stack.config, 'heavy');
  const connection = await NativeConnection.connect({ address: stack.config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: join(import.meta.dirname, '..', 'fixtures', fixture, 'workflows.ts'),
    dataConverter: createDataConverter(stack.config),
  });
  const running = worker.run();
  return {
    taskQueue,
    async close() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
