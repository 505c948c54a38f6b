import { z } from 'zod';

/**
 * Schemas of the Postgres tool. Workflow-safe: zod only.
 *
 * Parameterized queries only: the SQL text is fixed by the caller's code and every value goes in
 * `params`, referenced as `$1..$n`. Never build `sql` from input values (string concatenation or
 * template literals) — that is SQL injection. A caller that must name a table or column quotes it
 * with `identifier()` (tools/postgres/sql.ts).
 */
export const sqlParam = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .describe('a value bound to a $n placeholder (text, number, boolean or null)');

const statement = {
  sql: z
    .string()
    .min(1)
    .describe(
      'one SQL statement with $1..$n placeholders; values go in params, never into this text. Several statements (";"-separated) are refused',
    ),
  params: z
    .array(sqlParam)
    .default([])
    .describe('values of the placeholders: params[0] is $1, params[1] is $2, ...'),
  maxRows: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('most rows to return (capped by PG_TOOL_MAX_ROWS, the default); more sets truncated'),
};

export const queryInput = z.object({
  ...statement,
  readOnly: z
    .boolean()
    .default(true)
    .describe('run in a READ ONLY transaction, so the server refuses any write (default true)'),
});

/** postgres.execute: the same statement, in a read-write transaction. */
export const executeInput = z.object(statement);

export const queryField = z.object({
  name: z.string().describe('column name'),
  dataTypeID: z.number().int().describe('the column type OID (pg_type.oid)'),
});

export const queryOutput = z.object({
  rows: z
    .array(z.record(z.string(), z.unknown()))
    .describe('result rows, column name → value (at most maxRows)'),
  rowCount: z.number().int().nonnegative().describe('rows returned (after the cap)'),
  affectedRows: z
    .number()
    .int()
    .nonnegative()
    .nullable()
    .describe('rows inserted, updated or deleted by a write (null for a read)'),
  truncated: z.boolean().describe('true when the statement had more rows than maxRows'),
  fields: z.array(queryField).describe('the result columns, in order'),
});

export type QueryInput = z.output<typeof queryInput>;
export type QueryOutput = z.input<typeof queryOutput>;
