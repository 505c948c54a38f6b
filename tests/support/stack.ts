import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { loadConfig } from '../../config';
import type { Config } from '../../config';
import { createDatabase } from '../../core/db/pool';
import type { Database } from '../../core/db/pool';
import { migrate } from '../../core/db/migrate';
import { tiers } from '../../core/workflow/tiers';
import type { Tier } from '../../core/workflow/tiers';
import { Runs } from '../../core/runs';
import { createDataConverter } from '../../core/temporal/data-converter';
import { createWorkflowRegistry } from '../../config/workflows';
import type { ActivityRegistry } from '../../core/registry/activity-registry';
import { createLogger } from '../../core/logger';
import { createActivityRegistry } from '../../worker/activities';
import { startWorkerDeliveryConsumer } from '../../worker/delivery';
import type { PolicyInput } from '../../core/policy/schema';
import { testPolicy, writePolicy } from './policy';
import { createTierWorker, tierHasWork } from '../../worker/tier-worker';

export interface Stack {
  readonly config: Config;
  readonly env: NodeJS.ProcessEnv;
  readonly client: Client;
  readonly runs: Runs;
  readonly db: Database;
  startWorkers(which?: readonly Tier[]): Promise<void>;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * Real workers for every tier, in this process, on task queues of their own (a unique prefix),
 * against the shared dev server from the global setup. Nothing of ours is stubbed.
 */
export async function startStack(
  overrides: NodeJS.ProcessEnv = {},
  /** `policy`: the deployment policy the stack runs with (default: tests/support/policy.ts). */
  options: { workers?: boolean; policy?: PolicyInput } = {},
): Promise<Stack> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
    runtimeInstalled = true;
  }
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE_PREFIX: prefix,
    // Each stack has its own delivery queue; pacing is tested in tests/delivery.test.ts, so runs
    // here post at test speed.
    DELIVERY_QUEUE: `${prefix}-delivery`,
    DELIVERY_CHANNEL_INTERVAL_MS: '30',
    DELIVERY_DEBOUNCE_MS: '50',
    DELIVERY_BACKOFF_MS: '100',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PANTHEON_POLICY_FILE: writePolicy(options.policy ?? testPolicy()),
    // Large payloads and files of test runs stay out of the developer's .pantheon/.
    BLOB_DIR: join(tmpdir(), 'pantheon-test-blobs'),
    ...overrides,
  };
  const config = loadConfig(env);
  const db = createDatabase(config, 5);
  await migrate(db);
  const dataConverter = createDataConverter(config);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const runs = new Runs(client, createWorkflowRegistry(), config);

  const logger = createLogger(config, { process: 'test-stack' });
  const deliveryConsumer = startWorkerDeliveryConsumer(config, logger, client);
  let running:
    | {
        workers: Worker[];
        done: Promise<unknown>;
        connection: NativeConnection;
        activities: ActivityRegistry;
      }
    | undefined;
  const stack: Stack = {
    config,
    env,
    client,
    runs,
    db,
    async startWorkers(which = tiers) {
      const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
      const activities = await createActivityRegistry({ config, db, logger });
      const workers = await Promise.all(
        which
          .filter((tier) => tierHasWork(config, tier, activities))
          .map((tier) =>
            createTierWorker({
              config,
              tier,
              connection: workerConnection,
              activities,
              dataConverter,
              workflowBundlePath: inject('workflowBundlePath'),
            }),
          ),
      );
      running = {
        workers,
        done: Promise.all(workers.map((w) => w.run())),
        connection: workerConnection,
        activities,
      };
    },
    async stopWorkers() {
      if (!running) return;
      const { workers, done, connection: workerConnection, activities } = running;
      running = undefined;
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
      await activities.close();
      await workerConnection.close();
    },
    async close() {
      await stack.stopWorkers();
      await deliveryConsumer?.close();
      await connection.close();
      await db.end();
    },
  };
  if (options.workers !== false) await stack.startWorkers();
  return stack;
}
