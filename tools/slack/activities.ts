import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { postRunFinished, postRunStarted, reportProgress } from './specs';
import type { SlackTool } from './tool';

/** Activities of the Slack tool: thin wrappers that initialize the tool and run one action. */
export function createSlackActivities(tool: SlackTool): ActivityImplementation[] {
  return [
    implementActivity(postRunStarted, tool.whenReady(tool.actions.postRunStarted.run)),
    implementActivity(reportProgress, tool.whenReady(tool.actions.reportProgress.run)),
    implementActivity(postRunFinished, tool.whenReady(tool.actions.postRunFinished.run)),
  ];
}
