import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createFeedbackScorer } from './feedback-scores';
import { testConfig } from './testing/config';
import { startFakeServer } from './testing/fake-server';
import { traceIdForWorkflow } from './trace-id';

const langfuse = await startFakeServer((request) =>
  request.method === 'DELETE' && request.path.endsWith('/missing')
    ? { status: 404, body: { message: 'not found' } }
    : { body: { id: 'ok' } },
);
afterAll(() => langfuse.close());
beforeEach(() => void (langfuse.requests.length = 0));

const config = testConfig({
  LANGFUSE_PUBLIC_KEY: 'pk-lf-1',
  LANGFUSE_SECRET_KEY: 'sk-lf-1',
  LANGFUSE_BASE_URL: langfuse.url,
});

describe('feedback scores', () => {
  it("scores a reaction on the run's trace, one score per person and reaction", async () => {
    const scorer = createFeedbackScorer(config);
    await scorer.scoreFeedback('agent-1a2b', '+1::skin-tone-3', 'slack:U1');
    await scorer.scoreFeedback('agent-1a2b', 'thumbsdown', 'slack:U2');
    await scorer.scoreFeedback('agent-1a2b', 'eyes', 'slack:U2', { comment: 'looking' });
    await scorer.scoreFeedback('agent-1a2b', '+1', 'slack:U1');

    const posts = langfuse.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path)).toEqual(Array(4).fill('/api/public/scores'));
    expect(posts[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('pk-lf-1:sk-lf-1').toString('base64')}`,
    );
    expect(posts[0]!.body).toMatchObject({
      traceId: traceIdForWorkflow('agent-1a2b'),
      name: 'user-feedback',
      value: 1,
      dataType: 'BOOLEAN',
      comment: ':+1: by slack:U1 in Slack',
      metadata: { user: 'slack:U1', reaction: '+1', source: 'slack', runId: 'agent-1a2b' },
    });
    expect(posts[1]!.body).toMatchObject({ value: 0, dataType: 'BOOLEAN' });
    expect(posts[2]!.body).toMatchObject({ value: 'eyes', dataType: 'CATEGORICAL', comment: 'looking' });
    // The same person's same reaction again upserts the same score.
    const ids = posts.map((r) => (r.body as { id: string }).id);
    expect(ids[3]).toBe(ids[0]);
    expect(new Set(ids).size).toBe(3);
  });

  it('deletes the score when the reaction is removed, and uses the sentiment the bot decided', async () => {
    const scorer = createFeedbackScorer(config);
    await scorer.scoreFeedback('run-9', 'rocket', 'slack:U3', { sentiment: 'positive' });
    await scorer.scoreFeedback('run-9', 'rocket', 'slack:U3', { retracted: true });
    const [post, del] = langfuse.requests;
    expect(post!.body).toMatchObject({ value: 1, dataType: 'BOOLEAN' });
    expect(del!.method).toBe('DELETE');
    expect(del!.path).toBe(`/api/public/scores/${(post!.body as { id: string }).id}`);
  });

  it('is a no-op without keys', async () => {
    const scorer = createFeedbackScorer(testConfig({ LANGFUSE_BASE_URL: langfuse.url }));
    expect(scorer.enabled).toBe(false);
    await scorer.scoreFeedback('run-9', '+1', 'slack:U3');
    expect(langfuse.requests).toHaveLength(0);
  });
});
