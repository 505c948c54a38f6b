import type { Feedback } from '../../core/workflow/feedback-contract';
import { feedbackSignal } from '../../core/workflow/feedback-contract';
import type { BotDeps } from '../deps';

export interface ReactionEvent {
  readonly user: string;
  readonly reaction: string;
  readonly event_ts: string;
  readonly item: { readonly type: string; readonly channel?: string; readonly ts?: string };
}

/** `+1::skin-tone-3` counts as `+1`. */
function sentimentOf(deps: BotDeps, reaction: string): Feedback['sentiment'] | undefined {
  const name = reaction.replace(/::skin-tone-\d$/, '');
  if (deps.settings.SLACK_FEEDBACK_POSITIVE.includes(name)) return 'positive';
  if (deps.settings.SLACK_FEEDBACK_NEGATIVE.includes(name)) return 'negative';
  return undefined;
}

/**
 * A feedback reaction added to (or removed from) a message a run posted: stored (or retracted) in
 * Postgres and, while the run is still open, sent to it as a `pantheon.feedback` signal. Other
 * reactions and other messages are none of our business.
 */
export async function handleReaction(deps: BotDeps, event: ReactionEvent, added: boolean): Promise<void> {
  const sentiment = sentimentOf(deps, event.reaction);
  const { channel, ts } = event.item;
  if (!sentiment || event.item.type !== 'message' || !channel || !ts) return;
  const message = await deps.feedback.message(channel, ts);
  if (!message) return;

  const change = {
    channel,
    ts,
    user: event.user,
    reaction: event.reaction,
    sentiment,
    eventTs: event.event_ts,
  };
  const changed = added
    ? await deps.feedback.record(message, change)
    : await deps.feedback.retract(message, change);
  if (!changed) return; // a duplicate or out-of-date delivery: nothing to tell the run

  const feedback: Feedback = {
    user: event.user,
    reaction: event.reaction,
    sentiment,
    retracted: !added,
    messageTs: ts,
  };
  const handle = deps.runs.handle(message.workflowId);
  const open = await deps.temporal(() => handle.describe()).then((d) => d.status.name === 'RUNNING');
  if (open) await deps.temporal(() => handle.signal(feedbackSignal, feedback));
  deps.logger.info({ workflowId: message.workflowId, sentiment, added, signalled: open }, 'feedback');
  // Langfuse scores are a mirror of what Postgres holds: a failure is logged, never lost feedback.
  await deps.scorer
    ?.scoreFeedback(message.workflowId, event.reaction, `slack:${event.user}`, {
      sentiment,
      retracted: !added,
    })
    .catch((error: unknown) =>
      deps.logger.warn({ err: error, workflowId: message.workflowId }, 'could not send the feedback score'),
    );
}
