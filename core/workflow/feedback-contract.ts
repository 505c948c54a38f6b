import { defineSignal } from '@temporalio/workflow';

/**
 * A person's 👍/👎 on a run's Slack message, sent to the run while it is still open. A workflow
 * that wants it sets a handler for `feedbackSignal`; others simply never read it.
 */
export interface Feedback {
  readonly user: string;
  readonly reaction: string;
  readonly sentiment: 'positive' | 'negative';
  /** True when the reaction was removed: the earlier feedback no longer stands. */
  readonly retracted: boolean;
  readonly messageTs: string;
}

export const feedbackSignal = defineSignal<[Feedback]>('pantheon.feedback');
