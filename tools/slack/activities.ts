import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { postRunFinished, postRunStarted, reportProgress } from './specs';
import type { SlackTool } from './tool';

/** Activities of the Slack tool: thin wrappers that initialize the tool and run one action. */
export function createSlackActivities(tool: SlackTool): ActivityImplementation[] {
  const whenReady =
    <I, O>(run: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      await tool.ready();
      return run(input);
    };
  return [
    implementActivity(postRunStarted, whenReady(tool.actions.postRunStarted.run)),
    implementActivity(reportProgress, whenReady(tool.actions.reportProgress.run)),
    implementActivity(postRunFinished, whenReady(tool.actions.postRunFinished.run)),
  ];
}
