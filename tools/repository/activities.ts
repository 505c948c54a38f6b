import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { defineTool } from '../../core/registry/tool-module';
import type { ToolContext } from '../../core/registry/tool-module';
import type { WorkflowRegistry } from '../../core/registry/workflow-registry';
import type { CoreConfig } from '../../core/config';
import { ErrorCode, PantheonError } from '../../core/errors';
import type { RepositoryConfig } from './config';
import type { BlobStore } from '../../core/blobs/store';
import {
  repositoryInsert,
  repositoryPutFile,
  repositoryQuery,
  repositorySpecs,
  repositoryUpdate,
} from './specs';
import { RepositoryTool, type Caller } from './tool';

/**
 * The calling workflow, from Temporal's activity context (never from the input: a workflow must
 * not choose whose tables it touches).
 */
export function callerFromContext(workflows: WorkflowRegistry): Caller {
  const type = Context.current().info.workflowType;
  const definition = workflows.list().find((d) => d.workflowType === type);
  if (!definition)
    throw new PantheonError(
      ErrorCode.NotAllowed,
      `repository.* is for registered workflows; "${type}" is not one`,
    );
  return { workflowName: definition.name };
}

export function createRepositoryActivities(
  tool: RepositoryTool,
  caller: () => Caller,
  blobs: BlobStore,
): ActivityImplementation[] {
  return [
    // Content-addressed: a retried call stores nothing new and returns the same reference.
    implementActivity(repositoryPutFile, (input) =>
      blobs.put(Buffer.from(input.text, 'utf8'), { contentType: input.contentType, name: input.name }),
    ),
    implementActivity(
      repositoryInsert,
      tool.whenReady((input) => tool.insert(caller(), input)),
    ),
    implementActivity(
      repositoryUpdate,
      tool.whenReady((input) => tool.update(caller(), input)),
    ),
    implementActivity(
      repositoryQuery,
      tool.whenReady((input) => tool.query(caller(), input)),
    ),
  ];
}

/** The repository tool for the worker (found by folder: worker/tool-modules.ts). */
export const tool = defineTool<CoreConfig & RepositoryConfig>({
  name: 'repository',
  specs: repositorySpecs,
  activities: (context: ToolContext<CoreConfig & RepositoryConfig>) => {
    const repository = new RepositoryTool(context.config, join(import.meta.dirname, '..', '..', 'workflows'));
    context.onClose(() => repository.close());
    return createRepositoryActivities(repository, () => callerFromContext(context.workflows), context.blobs);
  },
});
