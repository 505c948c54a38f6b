import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { runner } from 'node-pg-migrate';

/** The schema a workflow owns in the repository database: `wf_` + its name, `-` as `_`. */
export function schemaOf(workflowName: string): string {
  return `wf_${workflowName.replace(/-/g, '_')}`;
}

/** Workflows with tables: `workflows/<name>/migrations/` holding at least one .sql file. */
export function workflowsWithMigrations(workflowsDir: string): { name: string; dir: string }[] {
  if (!existsSync(workflowsDir)) return [];
  return readdirSync(workflowsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, dir: join(workflowsDir, entry.name, 'migrations') }))
    .filter(({ dir }) => existsSync(dir) && readdirSync(dir).some((file) => file.endsWith('.sql')));
}

/**
 * Applies a workflow's migrations to its schema with node-pg-migrate: each file once, in name
 * order (a file added out of order is refused), each in a transaction, under an advisory lock
 * so several workers starting together take turns. Returns the names applied now.
 */
export async function migrateWorkflowSchema(
  client: pg.ClientBase,
  workflowName: string,
  dir: string,
): Promise<string[]> {
  const schema = schemaOf(workflowName);
  const applied = await runner({
    dbClient: client,
    dir,
    direction: 'up',
    schema,
    createSchema: true,
    migrationsSchema: schema,
    createMigrationsSchema: true,
    migrationsTable: 'pantheon_migrations',
    checkOrder: true,
    log: () => undefined,
  });
  return applied.map((migration) => migration.name);
}
