import { z } from 'zod';
import { blobRefSchema } from '../../core/blobs/models';

/** Table and column names: plain SQL identifiers (quoted by pg's escapeIdentifier anyway). */
const identifier = z
  .string()
  .regex(
    /^[a-z_][a-z0-9_]{0,62}$/,
    'use lower-case letters, digits and _ (at most 63), starting with a letter or _',
  );

const value = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.unknown()),
    z.record(z.string(), z.unknown()),
  ])
  .describe(
    'a column value: text, number, boolean, null, or JSON (arrays and objects go to json/jsonb columns)',
  );

const row = z.record(identifier, value).describe('one row: column name → value');

const where = z
  .record(identifier, z.union([value, z.object({ in: z.array(value).min(1).max(1000) })]))
  .describe('conditions ANDed together: column → value (equality; null matches IS NULL) or { in: [values] }');

export const insertInput = z.object({
  table: identifier.describe('a table of the calling workflow’s schema (created by its migrations)'),
  rows: z.array(row).min(1).max(5000).describe('the rows to insert, all in one transaction'),
  onConflict: z
    .object({
      columns: z.array(identifier).min(1).describe('the unique columns that identify a row'),
      update: z
        .boolean()
        .default(false)
        .describe('true: update the other columns of an existing row; false: keep it and skip the new one'),
    })
    .optional()
    .describe('makes the insert idempotent (a retried activity inserts nothing twice)'),
});
export const insertOutput = z.object({
  inserted: z.number().int().nonnegative().describe('rows inserted (or updated, with onConflict.update)'),
});

export const updateInput = z.object({
  table: identifier.describe('a table of the calling workflow’s schema'),
  set: row.describe('columns to change and their new values'),
  where: where.refine(
    (w) => Object.keys(w).length > 0,
    'name at least one condition: an update never touches every row',
  ),
});
export const updateOutput = z.object({ updated: z.number().int().nonnegative().describe('rows changed') });

export const queryInput = z.object({
  table: identifier.describe('a table of the calling workflow’s schema'),
  columns: z.array(identifier).min(1).optional().describe('the columns to return (default: all)'),
  where: where.optional(),
  orderBy: z
    .array(z.object({ column: identifier, descending: z.boolean().default(false).describe('largest first') }))
    .optional()
    .describe('sort order, first key first'),
  limit: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('most rows to return (capped by REPOSITORY_MAX_ROWS)'),
});
export const queryOutput = z.object({
  rows: z.array(z.record(z.string(), z.unknown())).describe('the rows, column name → value'),
  truncated: z.boolean().describe('true when more rows matched than were returned'),
});

export const putFileInput = z.object({
  name: z.string().min(1).max(255).describe('the file name people see, e.g. rows.csv'),
  contentType: z.string().min(1).default('text/plain; charset=utf-8').describe('its MIME type'),
  text: z.string().describe('the content, as text (UTF-8)'),
});
export const putFileOutput = blobRefSchema;

export type PutFileInput = z.output<typeof putFileInput>;
export type InsertInput = z.output<typeof insertInput>;
export type InsertOutput = z.output<typeof insertOutput>;
export type UpdateInput = z.output<typeof updateInput>;
export type UpdateOutput = z.output<typeof updateOutput>;
export type QueryInput = z.output<typeof queryInput>;
export type QueryOutput = z.output<typeof queryOutput>;
