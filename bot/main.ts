/**
 * `npm run bot`: the Slack bot. Prints `bot ready` once it receives requests; SIGINT/SIGTERM stop it.
 * Temporal may be down at start: the connection is lazy, and users hear about it per request.
 * Redis only de-duplicates events, so the bot runs (and says so) without it.
 */
import { Client, Connection } from '@temporalio/client';
import { runTracingClientInterceptors } from '../tools/llm/temporal-tracing';
import { Redis } from 'ioredis';
import { migrate } from '../core/db/migrate';
import { createDatabase } from '../core/db/pool';
import { loadConfigOrExit } from '../config/load';
import { PantheonError } from '../core/errors';
import { createLogger } from '../core/logger';
import { Runs } from '../core/runs';
import { createDataConverter } from '../core/temporal/data-converter';
import { createWorkflowRegistry } from '../config/workflows';
import { startBot } from './server';

const config = loadConfigOrExit();
const logger = createLogger(config, { process: 'bot' });

const stopped = new Promise((resolve) =>
  ['SIGINT', 'SIGTERM'].forEach((signal) => process.once(signal, resolve)),
);

if (!config.SLACK_BOT_TOKEN && config.NODE_ENV === 'development') {
  // `npm run dev` without Slack credentials: stay up (the stack stops when a process exits) but idle.
  logger.warn(
    'SLACK_BOT_TOKEN is not set: not connected to Slack. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README, "Slack")',
  );
  logger.info('bot ready (idle: no Slack credentials)');
  const keepAlive = setInterval(() => undefined, 60_000); // signal listeners alone do not keep Node up
  await stopped;
  clearInterval(keepAlive);
  process.exit(0);
}

const db = createDatabase(config);
const redis = new Redis(config.REDIS_URL, {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  lazyConnect: false,
});
let redisDown = false; // one warning per outage, not one per reconnect attempt
redis.on('error', (error) => {
  if (!redisDown)
    logger.warn({ err: error }, 'redis unavailable; events are not de-duplicated until it is back');
  redisDown = true;
});
redis.on('ready', () => (redisDown = false));
const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
const client = new Client({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  dataConverter: createDataConverter(config),
  // Starts and signals from Slack join the run's Langfuse trace (a no-op without Langfuse keys).
  interceptors: runTracingClientInterceptors(config),
});

try {
  await migrate(db);
  const bot = await startBot({
    config,
    runs: new Runs(client, createWorkflowRegistry(), config),
    db,
    redis,
    logger,
  });
  logger.info({ url: bot.url, socketMode: Boolean(config.SLACK_APP_TOKEN) }, 'bot ready');
  await stopped;
  await bot.stop();
  logger.info('bot stopped');
} catch (error) {
  if (error instanceof PantheonError) process.stderr.write(`Configuration error: ${error.message}\n`);
  else logger.fatal({ err: error }, 'bot failed');
  process.exitCode = 1;
} finally {
  await connection.close().catch(() => undefined);
  redis.disconnect();
  await db.end();
}
