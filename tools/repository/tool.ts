import pg from 'pg';
import { openPool } from '../../core/db/pool';
import { ErrorCode, PantheonError } from '../../core/errors';
import { Tool } from '../../core/registry/tool';
import type { RepositoryConfig } from './config';
import { migrateWorkflowSchema, schemaOf, workflowsWithMigrations } from './migrations';
import type { InsertInput, InsertOutput, QueryInput, QueryOutput, UpdateInput, UpdateOutput } from './models';

export interface RepositorySettings extends RepositoryConfig {
  readonly DATABASE_URL: string;
}

/** Who is calling: the workflow's name decides the one schema it may touch. */
export interface Caller {
  readonly workflowName: string;
}

type Where = NonNullable<QueryInput['where']>;

const { escapeIdentifier } = pg;

/**
 * The internal data repository: rows a workflow keeps in a schema of its own (`wf_<name>`),
 * created by its migrations (workflows/<name>/migrations/*.sql, node-pg-migrate). Every statement
 * is built from quoted identifiers and parameters only, runs in one transaction with the schema
 * as its only search path and a statement timeout, so a failed batch leaves nothing behind.
 */
export class RepositoryTool extends Tool {
  readonly name = 'repository';
  #pool: pg.Pool | undefined;
  #schemas = new Set<string>();

  constructor(
    private readonly settings: RepositorySettings,
    /** The folder of workflow folders (workflows/), where each one's migrations live. */
    private readonly workflowsDir: string,
  ) {
    super();
  }

  protected override async initialize(): Promise<void> {
    this.#pool = await openPool(
      this.settings.REPOSITORY_DATABASE_URL ?? this.settings.DATABASE_URL,
      5,
      async (client) => {
        for (const { name, dir } of workflowsWithMigrations(this.workflowsDir)) {
          try {
            await migrateWorkflowSchema(client, name, dir);
          } catch (error) {
            throw new PantheonError(
              ErrorCode.ConfigInvalid,
              `Migrations of workflow "${name}" (${dir}) failed: ${(error as Error).message}`,
            );
          }
          this.#schemas.add(schemaOf(name));
        }
      },
    );
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  async insert(caller: Caller, input: InsertInput): Promise<InsertOutput> {
    const columns = [...new Set(input.rows.flatMap((row) => Object.keys(row)))].sort();
    const params: unknown[] = [];
    const tuples = input.rows.map(
      (row) =>
        `(${columns.map((column) => (Object.hasOwn(row, column) ? placeholder(params, row[column]) : 'DEFAULT')).join(', ')})`,
    );
    let sql = `INSERT INTO ${escapeIdentifier(input.table)} (${columns.map(escapeIdentifier).join(', ')}) VALUES ${tuples.join(', ')}`;
    if (input.onConflict) {
      const keys = input.onConflict.columns.map(escapeIdentifier).join(', ');
      const others = columns.filter((column) => !input.onConflict!.columns.includes(column));
      sql +=
        input.onConflict.update && others.length > 0
          ? ` ON CONFLICT (${keys}) DO UPDATE SET ${others.map((c) => `${escapeIdentifier(c)} = EXCLUDED.${escapeIdentifier(c)}`).join(', ')}`
          : ` ON CONFLICT (${keys}) DO NOTHING`;
    }
    const result = await this.#run(caller, input.table, sql, params);
    return { inserted: result.rowCount ?? 0 };
  }

  async update(caller: Caller, input: UpdateInput): Promise<UpdateOutput> {
    const params: unknown[] = [];
    const set = Object.entries(input.set).map(
      ([column, value]) => `${escapeIdentifier(column)} = ${placeholder(params, value)}`,
    );
    if (set.length === 0)
      throw new PantheonError(ErrorCode.InvalidInput, 'repository.update: `set` names no column to change');
    const sql = `UPDATE ${escapeIdentifier(input.table)} SET ${set.join(', ')} WHERE ${conditions(input.where, params)}`;
    const result = await this.#run(caller, input.table, sql, params);
    return { updated: result.rowCount ?? 0 };
  }

  async query(caller: Caller, input: QueryInput): Promise<QueryOutput> {
    const params: unknown[] = [];
    const limit = Math.min(
      input.limit ?? this.settings.REPOSITORY_MAX_ROWS,
      this.settings.REPOSITORY_MAX_ROWS,
    );
    const columns = input.columns ? input.columns.map(escapeIdentifier).join(', ') : '*';
    const where =
      input.where && Object.keys(input.where).length > 0 ? ` WHERE ${conditions(input.where, params)}` : '';
    const order = input.orderBy?.length
      ? ` ORDER BY ${input.orderBy.map((o) => `${escapeIdentifier(o.column)}${o.descending ? ' DESC' : ''}`).join(', ')}`
      : '';
    const sql = `SELECT ${columns} FROM ${escapeIdentifier(input.table)}${where}${order} LIMIT ${limit + 1}`;
    const result = await this.#run(caller, input.table, sql, params, true);
    return { rows: result.rows.slice(0, limit), truncated: result.rows.length > limit };
  }

  /** One statement in its own transaction, confined to the caller's schema. */
  async #run(
    caller: Caller,
    table: string,
    sql: string,
    params: unknown[],
    readOnly = false,
  ): Promise<pg.QueryResult<Record<string, unknown>>> {
    const pool = this.#pool;
    if (!pool) throw new Error('RepositoryTool used before ready()');
    const schema = schemaOf(caller.workflowName);
    if (!this.#schemas.has(schema)) {
      throw new PantheonError(
        ErrorCode.InvalidInput,
        `Workflow "${caller.workflowName}" has no tables in the repository: add its first migration as workflows/${caller.workflowName}/migrations/001_<name>.sql`,
      );
    }
    const client = await pool.connect();
    try {
      await client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
      try {
        // Only the caller's schema is visible (pg_catalog for the built-ins): another workflow's
        // tables cannot be named, since identifiers are quoted whole ("other.table" is one name).
        await client.query(
          "SELECT set_config('search_path', $1, true), set_config('statement_timeout', $2, true)",
          [`${escapeIdentifier(schema)}, pg_catalog`, String(this.settings.REPOSITORY_STATEMENT_TIMEOUT_MS)],
        );
        const result = await client.query<Record<string, unknown>>(sql, params);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw explain(error, caller.workflowName, table);
      }
    } finally {
      client.release();
    }
  }
}

/** Adds `value` as the next parameter; arrays and objects travel as JSON (json/jsonb columns). */
function placeholder(params: unknown[], value: unknown): string {
  params.push(value !== null && typeof value === 'object' ? JSON.stringify(value) : value);
  return `$${params.length}`;
}

function conditions(where: Where, params: unknown[]): string {
  return Object.entries(where)
    .map(([column, condition]) => {
      const name = escapeIdentifier(column);
      if (condition === null) return `${name} IS NULL`;
      if (
        typeof condition === 'object' &&
        !Array.isArray(condition) &&
        'in' in condition &&
        Array.isArray(condition.in)
      ) {
        // A plain array parameter: Postgres reads it as an array of the column's type.
        params.push(condition.in);
        return `${name} = ANY($${params.length})`;
      }
      return `${name} = ${placeholder(params, condition)}`;
    })
    .join(' AND ');
}

/** Postgres's error as a clear, non-retryable input error where the input is what is wrong. */
function explain(error: unknown, workflowName: string, table: string): unknown {
  if (!(error instanceof pg.DatabaseError)) return error;
  const where = `${schemaOf(workflowName)}.${table}`;
  const messages: Record<string, string> = {
    '42P01': `No table "${table}" in workflow "${workflowName}"'s schema: its tables come from workflows/${workflowName}/migrations/`,
    '42703': `${where}: ${error.message}`,
    '23505': `${where}: ${error.message}${error.detail ? ` (${error.detail})` : ''}; use onConflict to make the insert idempotent`,
    '23502': `${where}: ${error.message}`,
    '23503': `${where}: ${error.message}`,
    '23514': `${where}: ${error.message}`,
    '22P02': `${where}: ${error.message}`,
    '22007': `${where}: ${error.message}`,
    '22003': `${where}: ${error.message}`,
    '42P10': `${where}: onConflict names columns without a unique index or constraint on them`,
    '25006': `${where}: a query may not write`,
  };
  const message = error.code ? messages[error.code] : undefined;
  return message ? new PantheonError(ErrorCode.InvalidInput, message, { sqlState: error.code }) : error;
}
