import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { defineTool } from '../../core/registry/tool-module';
import type { ToolContext } from '../../core/registry/tool-module';
import type { CoreConfig } from '../../core/config';
import type { PostgresToolConfig } from './config';
import { postgresExecute, postgresQuery, postgresSpecs } from './specs';
import { PostgresTool } from './tool';

/** Activities of the Postgres tool: the tool is initialized (pool, SELECT 1) before the first call. */
export function createPostgresActivities(tool: PostgresTool): ActivityImplementation[] {
  return [
    implementActivity(
      postgresQuery,
      tool.whenReady((input) => tool.query(input)),
    ),
    implementActivity(
      postgresExecute,
      tool.whenReady((input) => tool.query({ ...input, readOnly: false })),
    ),
  ];
}

/** The Postgres tool for the worker (found by folder: worker/tool-modules.ts). */
export const tool = defineTool<CoreConfig & PostgresToolConfig>({
  name: 'postgres',
  specs: postgresSpecs,
  activities: (context: ToolContext<CoreConfig & PostgresToolConfig>) => {
    const postgres = new PostgresTool(context.config);
    context.onClose(() => postgres.close());
    return createPostgresActivities(postgres);
  },
});
