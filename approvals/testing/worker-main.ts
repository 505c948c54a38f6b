/**
 * A worker process running the approval test bundle and activities, for tests that SIGKILL it:
 *   APPROVAL_TEST_TASK_QUEUE=… APPROVAL_TEST_BUNDLE=… node --import tsx approvals/testing/worker-main.ts
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../config';
import { createDatabase } from '../../core/db/pool';
import { createDataConverter } from '../../core/temporal/data-converter';
import { approvalTestActivities, quietRuntime } from './harness';

quietRuntime();
const config = loadConfig(process.env);
const db = createDatabase(config, 4);
const { registry, close } = approvalTestActivities(config, db);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: process.env.APPROVAL_TEST_TASK_QUEUE!,
  workflowBundle: { codePath: process.env.APPROVAL_TEST_BUNDLE! },
  activities: registry.forTier('light'),
  dataConverter: createDataConverter(config),
  stickyQueueScheduleToStartTimeout: '1 second',
});
process.stdout.write('worker ready\n');
await worker.run();
close();
await connection.close();
await db.end();
