import { defaultActivityRetry, defineActivity } from '../../core/workflow/activity-spec';
import type { ActivitySpec } from '../../core/workflow/activity-spec';
import {
  postRunFinishedInput,
  postRunFinishedOutput,
  postRunStartedInput,
  postRunStartedOutput,
  reportProgressInput,
  reportProgressOutput,
} from './models';

/**
 * Activity specs of the Slack tool (workflow-safe; implementations in activities.ts). They run on
 * the light tier; retries are safe because every write carries an idempotency key.
 */
const common: Pick<ActivitySpec, 'tier' | 'labels' | 'sideEffecting' | 'startToCloseTimeout' | 'retry'> = {
  tier: 'light',
  labels: ['slack'],
  sideEffecting: true,
  startToCloseTimeout: '30 seconds',
  // Slack refusing the request (not_in_channel, invalid_blocks…) will not change on a retry.
  retry: {
    nonRetryableErrorTypes: [...(defaultActivityRetry.nonRetryableErrorTypes ?? []), 'SlackRejected'],
  },
};

export const postRunStarted = defineActivity({
  ...common,
  name: 'slack.postRunStarted',
  description: "Post a run's root message: workflow, who started it, live status, link to Temporal",
  input: postRunStartedInput,
  output: postRunStartedOutput,
});

export const reportProgress = defineActivity({
  ...common,
  name: 'slack.reportProgress',
  description: "Add a line to a run's thread and refresh its root status",
  input: reportProgressInput,
  output: reportProgressOutput,
});

export const postRunFinished = defineActivity({
  ...common,
  name: 'slack.postRunFinished',
  description: "Post a run's result (or failure) in its thread and mark the root ✅ or ❌",
  input: postRunFinishedInput,
  output: postRunFinishedOutput,
});

export const slackSpecs = [postRunStarted, reportProgress, postRunFinished];
