import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { ActivityRegistry } from '../../core/registry/activity-registry';
import { PantheonError } from '../../core/errors';
import { createPostgresActivities } from './activities';
import { assertSingleStatement, identifier } from './sql';
import { PostgresTool } from './tool';

const url = process.env.PG_TOOL_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const table = `pg_tool_${randomUUID().slice(0, 8)}`;
const settings = loadConfig({ PG_TOOL_URL: url, PG_TOOL_STATEMENT_TIMEOUT_MS: '200', PG_TOOL_MAX_ROWS: '5' });

describe('PostgresTool (real Postgres, database test)', () => {
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  const tool = new PostgresTool(settings);
  const registry = new ActivityRegistry().register(...createPostgresActivities(tool));

  beforeAll(async () => {
    await admin.query(`CREATE TABLE ${identifier(table)} (id int PRIMARY KEY, name text NOT NULL)`);
    await admin.query(
      `INSERT INTO ${identifier(table)} SELECT g, 'name-' || g FROM generate_series(1, 8) AS g`,
    );
  });
  afterAll(async () => {
    await tool.close();
    await admin.query(`DROP TABLE IF EXISTS ${identifier(table)}`);
    await admin.end();
  });

  it('runs a parameterized select and names the columns', async () => {
    const result = await registry.execute('postgres.query', {
      sql: `SELECT id, name FROM ${identifier(table)} WHERE id = $1 OR name = $2 ORDER BY id`,
      params: [2, "name-3'; DROP TABLE x; --"],
    });
    expect(result).toMatchObject({
      rows: [{ id: 2, name: 'name-2' }],
      rowCount: 1,
      truncated: false,
      fields: [
        { name: 'id', dataTypeID: 23 },
        { name: 'name', dataTypeID: 25 },
      ],
    });
  });

  it('caps rows at maxRows and PG_TOOL_MAX_ROWS, marking the result truncated', async () => {
    const sql = `SELECT id FROM ${identifier(table)} ORDER BY id`;
    expect(await registry.execute('postgres.query', { sql, maxRows: 3 })).toMatchObject({
      rowCount: 3,
      truncated: true,
      rows: [{ id: 1 }, { id: 2 }, { id: 3 }],
    });
    // Asking for more than PG_TOOL_MAX_ROWS (5) gets 5.
    expect(await registry.execute('postgres.query', { sql, maxRows: 100 })).toMatchObject({
      rowCount: 5,
      truncated: true,
    });
    expect(await registry.execute('postgres.query', { sql: `${sql} LIMIT 5` })).toMatchObject({
      rowCount: 5,
      truncated: false,
    });
  });

  it('lets the server refuse a write when readOnly (the default), non-retryable', async () => {
    const write = registry.execute('postgres.query', {
      sql: `INSERT INTO ${identifier(table)} (id, name) VALUES ($1, $2)`,
      params: [100, 'sneaky'],
    });
    await expect(write).rejects.toMatchObject({
      code: 'NotAllowed',
      message: expect.stringMatching(/read-only transaction/),
      details: { sqlstate: '25006' },
    });
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${identifier(table)} WHERE id = 100`);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('writes through postgres.execute (read-write), committed', async () => {
    const result = await registry.execute('postgres.execute', {
      sql: `INSERT INTO ${identifier(table)} (id, name) VALUES ($1, $2) RETURNING id`,
      params: [200, 'written'],
    });
    expect(result).toMatchObject({ rows: [{ id: 200 }], rowCount: 1 });
    const { rows } = await admin.query(`SELECT name FROM ${identifier(table)} WHERE id = 200`);
    expect(rows).toEqual([{ name: 'written' }]);
  });

  it('cancels a statement past PG_TOOL_STATEMENT_TIMEOUT_MS with a clear non-retryable failure', async () => {
    const error: unknown = await registry
      .execute('postgres.query', { sql: 'SELECT pg_sleep($1)', params: [5] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({
      type: 'PostgresStatementTimeout',
      nonRetryable: true,
      message: expect.stringMatching(/statement timeout/),
    });
    // The connection is fine afterwards, and the timeout did not leak into the next call.
    expect(await registry.execute('postgres.query', { sql: 'SELECT 1 AS one' })).toMatchObject({
      rows: [{ one: 1 }],
    });
  });

  it('refuses several statements before they reach the server', async () => {
    await expect(
      registry.execute('postgres.query', { sql: `SELECT 1; DELETE FROM ${identifier(table)}` }),
    ).rejects.toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/several statements/) });
    await expect(registry.execute('postgres.execute', { sql: 'COMMIT' })).rejects.toMatchObject({
      code: 'InvalidInput',
    });
  });

  it('fails a bad statement for good, naming the SQLSTATE', async () => {
    await expect(
      registry.execute('postgres.query', { sql: 'SELECT * FROM no_such_table_here' }),
    ).rejects.toMatchObject({
      type: 'PostgresQueryFailed',
      nonRetryable: true,
      message: expect.stringMatching(/42P01/),
    });
  });

  it('validates the input (a value that is not a scalar param)', async () => {
    await expect(
      registry.execute('postgres.query', { sql: 'SELECT $1', params: [{ a: 1 }] }),
    ).rejects.toMatchObject({
      code: 'InvalidInput',
    });
  });
});

describe('PostgresTool settings', () => {
  it('refuses with ConfigInvalid naming PG_TOOL_URL when it is unset', async () => {
    const config = loadConfig({});
    expect(config.PG_TOOL_URL).toBeUndefined();
    expect(config.PG_TOOL_STATEMENT_TIMEOUT_MS).toBe(10_000);
    expect(config.PG_TOOL_MAX_ROWS).toBe(1000);
    const registry = new ActivityRegistry().register(...createPostgresActivities(new PostgresTool(config)));
    const error: unknown = await registry
      .execute('postgres.query', { sql: 'SELECT 1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PantheonError);
    expect(error).toMatchObject({ code: 'ConfigInvalid', message: expect.stringContaining('PG_TOOL_URL') });
  });

  it('rejects a PG_TOOL_URL that is not a postgres URL', () => {
    expect(() => loadConfig({ PG_TOOL_URL: 'mysql://x' })).toThrow(/PG_TOOL_URL/);
  });
});

describe('a pooled connection after a call', () => {
  it('keeps no session state a statement set: settings and advisory locks are gone', async () => {
    const one = new PostgresTool(loadConfig({ PG_TOOL_URL: url, PG_TOOL_POOL_SIZE: '1' }));
    const calls = new ActivityRegistry().register(...createPostgresActivities(one));
    try {
      await calls.execute('postgres.execute', {
        sql: "SELECT set_config('application_name', 'leaked', false), pg_advisory_lock(4242)",
      });
      const after = (await calls.execute('postgres.query', {
        sql: "SELECT current_setting('application_name') AS name, (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks",
      })) as { rows: unknown[] };
      expect(after.rows).toEqual([{ name: '', locks: 0 }]);
    } finally {
      await one.close();
    }
  });
});

describe('sql helpers', () => {
  it('quotes identifiers with pg', () => {
    expect(identifier('users')).toBe('"users"');
    expect(identifier('public', 'we"ird')).toBe('"public"."we""ird"');
    expect(() => identifier('')).toThrow(PantheonError);
  });

  it('allows one statement, a trailing semicolon and semicolons inside literals or comments', () => {
    for (const sql of [
      'SELECT 1;',
      "SELECT ';' AS s",
      'SELECT 1 -- ; comment',
      'SELECT /* ; */ 1',
      'SELECT $$a;b$$',
      'SELECT $tag$;$tag$ ;  ',
      'SELECT "a;b" FROM t',
      "SELECT E'\\';' AS s",
    ])
      expect(() => assertSingleStatement(sql), sql).not.toThrow();
    for (const sql of [
      'SELECT 1; SELECT 2',
      "SELECT 'a'; DROP TABLE t",
      'SELECT 1;;SELECT 2',
      'begin',
      'ROLLBACK',
    ])
      expect(() => assertSingleStatement(sql), sql).toThrow(PantheonError);
  });
});
