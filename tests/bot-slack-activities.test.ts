import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSlackServer } from '@pantheon/local-slack';
import { SlackSender, createDelivery } from '../core/delivery';
import type { Delivery } from '../core/delivery';
import { createLogger } from '../core/logger';
import type { ActivityRegistry } from '../core/registry/activity-registry';
import { DirectSlackDelivery } from '../tools/slack/direct-delivery';
import { createActivityRegistry } from '../worker/activities';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

/**
 * The Slack activities as a worker runs them (real registry, Postgres) against the local Slack,
 * through the direct stand-in and through the real delivery queue (BullMQ on Redis): a retried
 * activity posts once, and a result too long for a message arrives whole, as a file.
 */
const deliveries: Record<string, (stack: Stack, slack: LocalSlackServer) => Delivery> = {
  'direct delivery': (stack) =>
    new DirectSlackDelivery({ token: stack.config.SLACK_BOT_TOKEN!, apiUrl: stack.config.SLACK_API_URL }),
  'delivery queue': (stack, slack) =>
    createDelivery({
      redisUrl: stack.config.REDIS_URL,
      logger: createLogger({ ...stack.config, LOG_LEVEL: 'silent', LOG_PRETTY: false }),
      settings: {
        prefix: `slack-activities-${randomUUID().slice(0, 8)}`,
        channelIntervalMs: 20,
        debounceMs: 50,
        backoffMs: 50,
      },
      senders: { '': new SlackSender({ token: slack.botToken, apiUrl: slack.apiUrl }) },
    }),
};

describe.each(Object.keys(deliveries))('through the %s', (kind) => {
  let slack: LocalSlackServer;
  let stack: Stack;
  let delivery: Delivery;
  let activities: ActivityRegistry;
  beforeAll(async () => {
    slack = new LocalSlackServer();
    await slack.start();
    stack = await startStack(
      { SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: slack.botToken },
      { workers: false },
    );
    delivery = deliveries[kind]!(stack, slack);
    activities = await createActivityRegistry({ config: stack.config, db: stack.db, delivery });
  });
  afterAll(async () => {
    await activities?.close();
    await delivery?.close();
    await stack?.close();
    await slack?.close();
  });

  const target = { channel: 'C_OPS', user: 'U_ALICE' };
  const newRun = () => ({
    workflowId: `act-${Date.now()}`,
    runId: 'r1',
    workflow: 'invoice-review',
    startedAt: new Date().toISOString(),
  });
  const now = () => new Date().toISOString();

  it('posts a retried step once', async () => {
    const run = newRun();
    const root = (await activities.execute('slack.postRunStarted', {
      target,
      run,
      status: { state: 'running', step: 0, at: now() },
    })) as { channel: string; ts: string };
    const step = {
      target,
      run,
      root,
      seq: 1,
      change: 'step',
      status: { state: 'running', step: 1, totalSteps: 2, current: 'Fetching', at: now() },
    };
    const first = await activities.execute('slack.reportProgress', step);
    const retried = await activities.execute('slack.reportProgress', step);
    expect(retried).toEqual(first);
    expect(slack.thread('C_OPS', root.ts).map((m) => m.text)).toEqual([
      expect.stringMatching(/^⏳/),
      '▸ Step 1 of 2 · Fetching',
    ]);
  });

  it('attaches a long result as a file under its summary, and maps the result message to the run', async () => {
    const run = newRun();
    const root = (await activities.execute('slack.postRunStarted', {
      target,
      run,
      status: { state: 'running', step: 0, at: now() },
    })) as { channel: string; ts: string };
    const result = { rows: Array.from({ length: 1500 }, (_, i) => ({ id: i, text: `line <${i}> & more` })) };
    await activities.execute('slack.postRunFinished', {
      target,
      run,
      root,
      status: { state: 'completed', step: 0, at: now() },
      result,
    });

    const thread = slack.thread('C_OPS', root.ts);
    expect(thread[1]!.text).toMatch(/the full result \(\d+\.\d KB\) is attached/);
    const file = slack.files().find((f) => f.name === `${run.workflowId}-result.json`)!;
    expect(JSON.parse(slack.fileContent(file.id)!.toString('utf8'))).toEqual(result);
    expect(thread.some((m) => m.files?.some((f) => f.id === file.id))).toBe(true);
    expect(slack.message('C_OPS', root.ts)!.text).toMatch(/^✅ Completed in/);
    const { rows } = await stack.db.query(
      'SELECT kind, ts FROM slack_messages WHERE workflow_id = $1 ORDER BY kind',
      [run.workflowId],
    );
    expect(rows).toEqual([
      { kind: 'result', ts: thread[1]!.ts },
      { kind: 'root', ts: root.ts },
    ]);
  });

  it('fails for good, not forever, when Slack refuses (channel_not_found)', async () => {
    const run = newRun();
    const refused = activities.execute('slack.postRunStarted', {
      target: { channel: 'C_GONE', user: 'U_ALICE' },
      run,
      status: { state: 'running', step: 0, at: now() },
    });
    await expect(refused).rejects.toMatchObject({ type: 'SlackRejected', nonRetryable: true });
  });
});
