import type { TracingConfig } from './tracing';
import { sha256Hex, traceIdForWorkflow } from './trace-id';

/**
 * 👍/👎 on a run's Slack message as a Langfuse score on the run's trace (the trace every span of
 * the run shares: its id derives from the run's workflow id, see trace-id.ts). One score per
 * person, run and reaction: a repeated event updates it, removing the reaction deletes it.
 *
 *   const scorer = createFeedbackScorer(config);
 *   await scorer.scoreFeedback(message.workflowId, event.reaction, `slack:${event.user}`);
 *   await scorer.scoreFeedback(message.workflowId, event.reaction, `slack:${event.user}`, { retracted: true });
 *
 * Without Langfuse keys it does nothing.
 */
export interface FeedbackOptions {
  /** From the bot's reaction settings; inferred from the reaction name when absent. */
  readonly sentiment?: 'positive' | 'negative';
  /** The reaction was removed: the score is deleted. */
  readonly retracted?: boolean;
  readonly comment?: string;
}

export interface FeedbackScorer {
  readonly enabled: boolean;
  /**
   * @param runId the run's workflow id (the id `pantheon status` takes; for a child run, its top-level run's)
   * @param reaction the Slack reaction name, e.g. `+1` or `thumbsdown`
   * @param user who reacted, e.g. `slack:U123`
   */
  scoreFeedback(runId: string, reaction: string, user: string, options?: FeedbackOptions): Promise<void>;
}

export const feedbackScoreName = 'user-feedback';

const positive = new Set([
  '+1',
  'thumbsup',
  'heart',
  'white_check_mark',
  'heavy_check_mark',
  'star',
  'tada',
  'raised_hands',
  'clap',
]);
const negative = new Set(['-1', 'thumbsdown', 'x', 'no_entry', 'disappointed', 'confused', 'thinking_face']);

export function createFeedbackScorer(
  config: TracingConfig,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): FeedbackScorer {
  const { LANGFUSE_PUBLIC_KEY: publicKey, LANGFUSE_SECRET_KEY: secretKey } = config;
  if (!publicKey || !secretKey) return { enabled: false, scoreFeedback: async () => {} };
  const doFetch = options.fetch ?? fetch;
  const base = config.LANGFUSE_BASE_URL.endsWith('/')
    ? config.LANGFUSE_BASE_URL
    : `${config.LANGFUSE_BASE_URL}/`;
  const scoresUrl = new URL('api/public/scores', base).href;
  const headers = {
    authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`,
    'content-type': 'application/json',
  };

  return {
    enabled: true,
    async scoreFeedback(runId, reaction, user, feedback = {}) {
      const name = reaction.replace(/::skin-tone-\d$/, '');
      const sentiment =
        feedback.sentiment ?? (positive.has(name) ? 'positive' : negative.has(name) ? 'negative' : undefined);
      const id = `fb-${sha256Hex(`${runId}\n${user}\n${name}`).slice(0, 32)}`;
      const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
      if (feedback.retracted) {
        const response = await doFetch(`${scoresUrl}/${id}`, { method: 'DELETE', headers, signal });
        // Already gone (never sent, or deleted twice) is what we wanted.
        if (!response.ok && response.status !== 404) throw await refused(response, 'delete', id, runId);
        return;
      }
      const body = {
        id,
        traceId: traceIdForWorkflow(runId),
        name: feedbackScoreName,
        ...(sentiment
          ? { value: sentiment === 'positive' ? 1 : 0, dataType: 'BOOLEAN' }
          : { value: name, dataType: 'CATEGORICAL' }),
        comment: feedback.comment ?? `:${name}: by ${user} in Slack`,
        metadata: { user, reaction: name, source: 'slack', runId },
        ...(config.LANGFUSE_ENVIRONMENT && { environment: config.LANGFUSE_ENVIRONMENT }),
      };
      const response = await doFetch(scoresUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal,
      });
      if (!response.ok) throw await refused(response, 'record', id, runId);
    },
  };
}

async function refused(response: Response, what: string, id: string, runId: string): Promise<Error> {
  const text = await response.text().catch(() => '');
  return new Error(
    `Langfuse refused to ${what} feedback score ${id} for run ${runId}: ${response.status} ${text.slice(0, 300)}`,
  );
}
