import { z } from 'zod';
import { optionalString, positiveInt } from '../../core/config-fields';

/**
 * Settings of the internal data repository (tools/repository), merged into config/index.ts. Each
 * workflow owns one schema in this database (`wf_<workflow name>`), created and migrated from
 * `workflows/<workflow name>/migrations/*.sql` when the worker starts.
 */
export const repositoryConfigShape = {
  REPOSITORY_DATABASE_URL: optionalString
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//)
        .optional(),
    )
    .describe('a postgres:// URL of the repository database (default: DATABASE_URL)'),
  REPOSITORY_MAX_ROWS: positiveInt
    .default(1000)
    .describe('most rows a repository.query returns (a call may ask for fewer)'),
  REPOSITORY_STATEMENT_TIMEOUT_MS: positiveInt
    .default(30_000)
    .describe('statement_timeout of every repository statement, in ms'),
} as const;

export const repositoryConfigSchema = z.object(repositoryConfigShape);
export type RepositoryConfig = z.output<typeof repositoryConfigSchema>;
