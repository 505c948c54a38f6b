import { ApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { openPool } from '../../core/db/pool';
import { ErrorCode, PantheonError } from '../../core/errors';
import { Tool } from '../../core/registry/tool';
import type { PostgresToolConfig } from './config';
import type { QueryInput, QueryOutput } from './models';
import { assertSingleStatement } from './sql';

export type PostgresToolSettings = Pick<
  PostgresToolConfig,
  'PG_TOOL_URL' | 'PG_TOOL_STATEMENT_TIMEOUT_MS' | 'PG_TOOL_MAX_ROWS' | 'PG_TOOL_POOL_SIZE'
>;

type Row = Record<string, unknown>;

/**
 * Parameterized SQL against the database PG_TOOL_URL names (settings only, never an input). Each
 * call is one transaction: READ ONLY unless it writes (the server itself refuses writes), with a
 * local statement_timeout, and at most maxRows + 1 rows fetched through a cursor (pg-cursor), so a
 * huge result is never loaded to be sliced.
 */
export class PostgresTool extends Tool {
  readonly name = 'postgres';
  #pool: pg.Pool | undefined;

  constructor(private readonly settings: PostgresToolSettings) {
    super();
  }

  protected override async initialize(): Promise<void> {
    if (!this.settings.PG_TOOL_URL)
      throw new PantheonError(
        ErrorCode.ConfigInvalid,
        'PG_TOOL_URL is unset: set it to the postgres:// URL of the database the postgres tool may query',
        { variable: 'PG_TOOL_URL' },
      );
    this.#pool = await openPool(this.settings.PG_TOOL_URL, this.settings.PG_TOOL_POOL_SIZE);
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  /** postgres.query (readOnly default true) and postgres.execute (readOnly false). */
  async query(input: QueryInput): Promise<QueryOutput> {
    assertSingleStatement(input.sql);
    const pool = this.#pool;
    if (!pool) throw new Error('PostgresTool.query before ready()');
    const maxRows = Math.min(input.maxRows ?? this.settings.PG_TOOL_MAX_ROWS, this.settings.PG_TOOL_MAX_ROWS);
    const client = await pool.connect();
    let broken = false;
    try {
      // One round trip: the transaction and its timeout (an integer from the settings, not input).
      const timeout = Math.trunc(this.settings.PG_TOOL_STATEMENT_TIMEOUT_MS);
      await client.query(
        `${input.readOnly ? 'BEGIN READ ONLY' : 'BEGIN'}; SET LOCAL statement_timeout = ${timeout}`,
      );
      let result: { rows: Row[]; fields: pg.FieldDef[]; affectedRows: number | null };
      try {
        result = await readAtMost(client, input.sql, input.params, maxRows + 1);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        await client.query('DISCARD ALL').catch(() => (broken = true));
        throw error;
      }
      // Commit and reset the session in one round trip; a failed COMMIT skips the reset, so the
      // connection is not reused.
      await client.query(`COMMIT; ${resetSession}`).catch((error: unknown) => {
        broken = true;
        throw error;
      });
      const truncated = result.rows.length > maxRows;
      const rows = truncated ? result.rows.slice(0, maxRows) : result.rows;
      return {
        rows,
        rowCount: rows.length,
        affectedRows: result.affectedRows,
        truncated,
        fields: result.fields.map(({ name, dataTypeID }) => ({ name, dataTypeID })),
      };
    } catch (error) {
      if (!(error instanceof PantheonError) && !isDatabaseError(error)) broken = true;
      throw toFailure(error, input);
    } finally {
      client.release(broken);
    }
  }
}

/**
 * What DISCARD ALL does, spelled out (PostgreSQL documents it as this list): session state a
 * statement may have set — settings, advisory locks, prepared statements, temporary tables — never
 * stays with the pooled connection. Unlike DISCARD ALL it may follow COMMIT in the same query.
 */
const resetSession =
  'CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; DISCARD SEQUENCES';

const writes = /^(INSERT|UPDATE|DELETE|MERGE|COPY)$/;

/** Up to `limit` rows of one statement, through a cursor (the rest is never sent). */
async function readAtMost(
  client: pg.PoolClient,
  sql: string,
  params: readonly (string | number | boolean | null)[],
  limit: number,
): Promise<{ rows: Row[]; fields: pg.FieldDef[]; affectedRows: number | null }> {
  const cursor = client.query(new Cursor<Row>(sql, [...params]));
  try {
    return await new Promise((resolve, reject) => {
      cursor.read(limit, (error, rows, result) => {
        if (error) reject(error);
        // A statement without a result set (INSERT without RETURNING) has no fields.
        else
          resolve({
            rows,
            fields: result.fields ?? [],
            // The command tag's count (INSERT 0 2 → 2) for writes; a read's rows are `rows`.
            affectedRows: writes.test(result.command ?? '') ? (result.rowCount ?? null) : null,
          });
      });
    });
  } finally {
    await cursor.close().catch(() => undefined);
  }
}

function isDatabaseError(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

/**
 * A database error as the failure a workflow should see. Errors of the statement (syntax, a
 * refused write, a timeout, a constraint) fail for good; connection loss, deadlocks,
 * serialization failures and server shutdown stay retryable.
 */
function toFailure(error: unknown, input: QueryInput): unknown {
  if (!isDatabaseError(error) || !error.code) return error;
  const details = { sqlstate: error.code };
  const code = error.code;
  if (code === '25006')
    return new PantheonError(
      ErrorCode.NotAllowed,
      `postgres: the server refused a write in a read-only transaction (${error.message}); use postgres.execute for writes`,
      details,
    );
  if (code === '57014')
    return ApplicationFailure.nonRetryable(
      `postgres: statement cancelled by the statement timeout (${error.message}); narrow the query or raise PG_TOOL_STATEMENT_TIMEOUT_MS`,
      'PostgresStatementTimeout',
      details,
    );
  if (/^(08|40|53|57P)/.test(code)) return error;
  return ApplicationFailure.nonRetryable(
    `postgres: ${error.message} (SQLSTATE ${code})${input.readOnly ? '' : ' — nothing was committed'}`,
    'PostgresQueryFailed',
    details,
  );
}
