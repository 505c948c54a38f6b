import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { taskQueueFor } from '../core/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityRegistry } from '../core/registry/activity-registry';
import { createActivityRegistry } from '../worker/activities';
import { startFixtureWorker, type FixtureWorker } from './support/fixture-worker';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

/**
 * The Postgres tool as the worker loads it (found by folder, no registration): its activities are
 * in the worker's registry on the light tier, inputs are validated, and a refused write leaves the
 * activity as the non-retryable Temporal failure a workflow sees.
 */
describe('postgres tool in the worker', () => {
  let stack: Stack;
  let activities: ActivityRegistry;
  beforeAll(async () => {
    stack = await startStack(
      { PG_TOOL_URL: 'postgres://postgres@127.0.0.1:5432/test', PG_TOOL_MAX_ROWS: '2' },
      { workers: false },
    );
    activities = await createActivityRegistry({ config: stack.config, db: stack.db });
  });
  afterAll(async () => {
    await activities?.close();
    await stack?.close();
  });

  it('is discovered, on the light tier, and hidden from agents', () => {
    const query = activities.get('postgres.query').spec;
    expect(query).toMatchObject({ tier: 'light', agentCallable: false, sideEffecting: false });
    expect(activities.get('postgres.execute').spec).toMatchObject({ sideEffecting: true });
    expect(Object.keys(activities.forTier('light'))).toEqual(
      expect.arrayContaining(['postgres.query', 'postgres.execute']),
    );
  });

  it('runs a parameterized query with the row cap from the settings', async () => {
    const result = await activities.execute('postgres.query', {
      sql: 'SELECT g AS n, $1::text AS label FROM generate_series(1, 5) AS g',
      params: ['x'],
    });
    expect(result).toMatchObject({
      rows: [
        { n: 1, label: 'x' },
        { n: 2, label: 'x' },
      ],
      truncated: true,
    });
  });

  it('leaves a refused write as a non-retryable ApplicationFailure typed NotAllowed', async () => {
    const run = activities.forTier('light')['postgres.query']!;
    const error: unknown = await run({ sql: 'CREATE TABLE pg_tool_never (id int)' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'NotAllowed' });
    expect(stack.config.PG_TOOL_STATEMENT_TIMEOUT_MS).toBe(10_000);
  });
});

describe('postgres tool through Temporal', () => {
  let stack: Stack;
  let fixture: FixtureWorker;
  const table = `pg_tool_wf_${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    stack = await startStack({ PG_TOOL_URL: 'postgres://postgres@127.0.0.1:5432/test' }, { workers: false });
    await stack.db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL)`);
    await stack.startWorkers(['light']);
    fixture = await startFixtureWorker(stack, 'postgres');
  });
  afterAll(async () => {
    await fixture?.close();
    await stack?.db.query(`DROP TABLE IF EXISTS ${table}`);
    await stack?.close();
  });

  it('writes and reads on the light tier, and a write through postgres.query fails once, NotAllowed', async () => {
    const workflowId = `postgres-${randomUUID()}`;
    const result = await stack.client.workflow.execute('postgresRoundTrip', {
      taskQueue: fixture.taskQueue,
      workflowId,
      args: [table],
      workflowExecutionTimeout: '1 minute',
    });
    expect(result).toEqual({
      written: 2,
      read: null,
      rows: [
        { id: 1, name: "O'Brien; DROP TABLE x" },
        { id: 2, name: 'Ada' },
      ],
      refused: 'NotAllowed: nonRetryable=false',
    });
    const { events } = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = events!.filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes!.taskQueue!.name)).toEqual(
      Array(3).fill(taskQueueFor(stack.config, 'light')),
    );
    // The refused DELETE ran once: NotAllowed is in every activity's non-retryable types.
    const failed = events!.filter((e) => e.activityTaskFailedEventAttributes);
    expect(failed).toHaveLength(1);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows).toEqual([{ n: 2 }]);
  });
});
