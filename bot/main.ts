/**
 * `npm run bot`: the Slack bot. Prints `bot ready` once it receives requests; SIGINT/SIGTERM stop it.
 * Temporal may be down at start: the connection is lazy, and users hear about it per request.
 */
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { migrate } from '../core/db/migrate';
import { createDatabase } from '../core/db/pool';
import { loadConfigOrExit } from '../core/env';
import { PantheonError } from '../core/errors';
import { createLogger } from '../core/logger';
import { Runs } from '../core/runs';
import { createDataConverter } from '../core/temporal/data-converter';
import { createWorkflowRegistry } from '../workflows/catalogue';
import { loadBotConfig } from './config';
import type { BotConfig } from './config';
import { startBot } from './server';

const config = loadConfigOrExit();
const logger = createLogger(config, { process: 'bot' });
const settings = loadSettingsOrExit();

function loadSettingsOrExit(): BotConfig {
  try {
    return loadBotConfig();
  } catch (error) {
    if (!(error instanceof PantheonError)) throw error;
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
}

const db = createDatabase(config);
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
redis.on('error', (error) => logger.warn({ err: error }, 'redis unavailable; events are not de-duplicated'));
const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: createDataConverter(config) });

try {
  await migrate(db);
  const bot = await startBot({ config, settings, runs: new Runs(client, createWorkflowRegistry(), config), db, redis, logger });
  logger.info({ url: bot.url, socketMode: Boolean(config.SLACK_APP_TOKEN) }, 'bot ready');
  await new Promise((resolve) => ['SIGINT', 'SIGTERM'].forEach((signal) => process.once(signal, resolve)));
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
