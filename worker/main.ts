/**
 * `npm run worker -- --tier light` (or llm, heavy; several with commas): runs the tier's worker(s)
 * until SIGINT/SIGTERM, then drains in-flight tasks and exits.
 */
import { parseArgs } from 'node:util';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from '../config/load';
import { createLogger, toTemporalLogger } from '../core/logger';
import { createDatabase } from '../core/db/pool';
import { migrate } from '../core/db/migrate';
import { isTier, tiers } from '../core/workflow/tiers';
import { createDataConverter } from '../core/temporal/data-converter';
import { connectClient } from '../core/client';
import { runTracingClientInterceptors } from '../tools/llm/temporal-tracing';
import { createActivityRegistry } from './activities';
import { startWorkerDeliveryConsumer } from './delivery';
import { createTierWorker, tierHasWork } from './tier-worker';

const { values } = parseArgs({ options: { tier: { type: 'string', default: 'light' } } });
const requested = values.tier.split(',').map((t) => t.trim());
const unknown = requested.filter((t) => !isTier(t));
if (unknown.length > 0) {
  process.stderr.write(`Unknown tier ${unknown.join(', ')}: use one or more of ${tiers.join(', ')}\n`);
  process.exit(2);
}

const config = loadConfigOrExit();
const logger = createLogger(config, { process: 'worker', tiers: requested });
Runtime.install({ logger: toTemporalLogger(logger), shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT'] });

const db = createDatabase(config);
try {
  await migrate(db);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const activities = await createActivityRegistry({ config, db, logger });
  const dataConverter = createDataConverter(config);
  const workers = await Promise.all(
    requested
      .filter(isTier)
      .filter(
        (tier) =>
          tierHasWork(config, tier, activities) ||
          logger.warn({ tier }, 'tier has no activities; not polling'),
      )
      .map((tier) => createTierWorker({ config, tier, connection, activities, dataConverter })),
  );
  // The light tier also sends what activities queued for Slack (core/delivery).
  const client = requested.includes('light')
    ? await connectClient(config, runTracingClientInterceptors(config))
    : undefined;
  const delivery = client && startWorkerDeliveryConsumer(config, logger, client);
  logger.info(
    { taskQueues: workers.map((w) => w.options.taskQueue), delivery: Boolean(delivery) },
    'worker ready',
  );
  if (workers.length === 0) {
    // Nothing to poll yet; stay up like the other tiers so process managers see a steady service.
    const keepAlive = setInterval(() => undefined, 60_000);
    await new Promise((resolve) => ['SIGINT', 'SIGTERM'].forEach((signal) => process.once(signal, resolve)));
    clearInterval(keepAlive);
  }
  await Promise.all(workers.map((worker) => worker.run()));
  await delivery?.close();
  await client?.connection.close();
  await activities.close();
  await connection.close();
  logger.info('worker stopped');
} catch (error) {
  logger.fatal({ err: error }, 'worker failed');
  process.exitCode = 1;
} finally {
  await db.end();
}
