import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { defineTool } from '../../core/registry/tool-module';
import type { ToolContext } from '../../core/registry/tool-module';
import type { CoreConfig } from '../../core/config';
import type { CodeExecutorConfig } from './config';
import { codeExecute, codeExecutorSpecs } from './specs';
import { CodeExecutorTool } from './tool';

/** code.execute: the tool is initialized (its thread entry and tsx found) before the first call. */
export function createCodeExecutorActivities(tool: CodeExecutorTool): ActivityImplementation[] {
  return [
    implementActivity(
      codeExecute,
      tool.whenReady((input) => tool.execute(input)),
    ),
  ];
}

/** The code executor for the worker (found by folder: worker/tool-modules.ts), over the logic catalogue. */
export const tool = defineTool<CoreConfig & CodeExecutorConfig>({
  name: 'code-executor',
  specs: codeExecutorSpecs,
  activities: ({ config, logic }: ToolContext<CoreConfig & CodeExecutorConfig>) =>
    createCodeExecutorActivities(new CodeExecutorTool(logic, config)),
});
