import pg from 'pg';
import type { CoreConfig } from '../config';

export type Database = pg.Pool;

/** One pool per process; callers close it on shutdown. */
export function createDatabase(config: Pick<CoreConfig, 'DATABASE_URL'>, max = 10): Database {
  return new pg.Pool({ connectionString: config.DATABASE_URL, max });
}

/**
 * A pool known to work: `check` runs on one of its connections (a plain SELECT 1 by default) and
 * the pool is closed again if that fails. An idle connection's error (a server restart) does not
 * crash the process; the pool replaces the connection.
 */
export async function openPool(
  connectionString: string,
  max: number,
  check: (client: pg.PoolClient) => Promise<unknown> = (client) => client.query('SELECT 1'),
): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await check(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}
