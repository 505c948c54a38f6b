import { z } from 'zod';
import { optionalString, positiveInt } from '../../core/config-fields';

/**
 * Settings of the Postgres tool (tools/postgres), merged into config/index.ts. The connection
 * comes only from here (the environment), never from an activity input: Temporal stores inputs in
 * its history, and a workflow must not choose which database it reaches.
 */
export const postgresToolConfigShape = {
  PG_TOOL_URL: optionalString
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//)
        .optional(),
    )
    .describe(
      'a postgres:// URL of the database the postgres tool queries; unset, postgres.* activities refuse (ConfigInvalid)',
    ),
  PG_TOOL_STATEMENT_TIMEOUT_MS: positiveInt
    .default(10_000)
    .describe('statement_timeout of every postgres tool statement, in ms'),
  PG_TOOL_MAX_ROWS: positiveInt
    .default(1000)
    .describe('most rows a postgres tool query returns (a call may ask for fewer)'),
  PG_TOOL_POOL_SIZE: positiveInt.default(5).describe('connections in the postgres tool pool, per worker'),
} as const;

export const postgresToolConfigSchema = z.object(postgresToolConfigShape);
export type PostgresToolConfig = z.output<typeof postgresToolConfigSchema>;
