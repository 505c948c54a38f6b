import pg from 'pg';
import type { CoreConfig } from '../config';

export type Database = pg.Pool;

/** One pool per process; callers close it on shutdown. */
export function createDatabase(config: Pick<CoreConfig, 'DATABASE_URL'>, max = 10): Database {
  return new pg.Pool({ connectionString: config.DATABASE_URL, max });
}
