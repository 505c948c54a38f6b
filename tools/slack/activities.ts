import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { defineTool } from '../../core/registry/tool-module';
import type { ToolContext } from '../../core/registry/tool-module';
import { postRunFinished, postRunStarted, reportProgress, slackSpecs } from './specs';
import { SlackTool } from './tool';

/** Activities of the Slack tool: thin wrappers that initialize the tool and run one action. */
export function createSlackActivities(tool: SlackTool): ActivityImplementation[] {
  return [
    implementActivity(
      postRunStarted,
      tool.whenReady((input) => tool.postRunStarted(input)),
    ),
    implementActivity(
      reportProgress,
      tool.whenReady((input) => tool.reportProgress(input)),
    ),
    implementActivity(
      postRunFinished,
      tool.whenReady((input) => tool.postRunFinished(input)),
    ),
  ];
}

/** The Slack tool for the worker: every run started from Slack calls it (workflow/progress-interceptor.ts). */
export const tool = defineTool({
  name: 'slack',
  specs: slackSpecs,
  activities: ({ config, db, delivery }: ToolContext) =>
    createSlackActivities(
      new SlackTool({
        delivery,
        db,
        temporalUiUrl: config.TEMPORAL_UI_URL,
        namespace: config.TEMPORAL_NAMESPACE,
      }),
    ),
});
