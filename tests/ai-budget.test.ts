import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { renderBudget } from '../cli/commands';
import { describeFailure } from '../cli/failure';
import { progressQuery } from '../core/workflow/progress-contract';
import type { BudgetStatus } from '../core/workflow/budget-contract';
import { startFakeServer } from '../tools/llm/testing/fake-server';
import type { FakeServer } from '../tools/llm/testing/fake-server';
import { openAiChat } from '../tools/llm/testing/wire';
import type { agentDefinition } from '../workflows/agent';
import type { columnMappingDefinition } from '../workflows/column-mapping';
import { newVoteSigningKey, parseVoteSigningKey, voteSignerFor } from '../approvals/votes/keys';
import type { VoteSigner } from '../approvals/votes/signer';
import { sendBudgetDecision } from '../tools/llm/send-budget-decision';
import type { BudgetDecisionInput } from '../tools/llm/send-budget-decision';
import { runPantheon } from './support/pantheon-cli';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { waitFor } from './support/wait';

/**
 * The per-run budget end to end: a call that would pass the cap pauses the run (no request leaves),
 * the run asks and waits, and a signed raise or denial (the `pantheon.budget.decide` Update, as the
 * bot and the CLI send it) resumes or ends it; unsigned or wrongly signed ones change nothing.
 * Real Temporal, real workers, a local OpenAI-format server.
 */
type MappingOutput = z.output<typeof columnMappingDefinition.output>;
type AgentOutput = z.output<typeof agentDefinition.output>;

let openai: FakeServer;
let stack: Stack;

const mappingAnswer = JSON.stringify({
  mappings: [{ target: 'b', source: 'a', transform: 'copy', confidence: 1, note: null }],
});

beforeAll(async () => {
  openai = await startFakeServer((request) => {
    const body = request.body as {
      response_format?: unknown;
      messages: { role: string; content: string | null }[];
    };
    if (body.response_format)
      return openAiChat({ content: mappingAnswer, promptTokens: 200, completionTokens: 50 });
    // The agent: the first call is expensive and asks for a tool; the second answers.
    if (!body.messages.some((m) => m.role === 'tool')) {
      return openAiChat({
        content: null,
        toolCalls: [{ id: 'c1', name: 'invoices_lookupVendor', arguments: '{"vendor":"budget-co"}' }],
        promptTokens: 5000,
        completionTokens: 20,
      });
    }
    return openAiChat({ content: 'budget-co has no invoices.', promptTokens: 100, completionTokens: 10 });
  });
  stack = await startStack({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${openai.url}/v1`,
    LLM_MODELS: JSON.stringify({ smart: { provider: 'openai', model: 'gpt-4o-mini' } }),
    LLM_CACHE_ENABLED: 'false',
  });
});

afterAll(async () => {
  await stack?.close();
  await openai?.close();
});

/** The real `pantheon` bin, as a user runs it. */
const pantheon = (args: string[], env: NodeJS.ProcessEnv = {}) => runPantheon(args, { ...stack.env, ...env });

/** What the bot and `pantheon budget` do: sign with the deployment's key, send the Update. */
function decide(
  workflowId: string,
  decision: BudgetDecisionInput,
  signer: VoteSigner = voteSignerFor(stack.config),
) {
  return sendBudgetDecision(stack.client, signer, workflowId, decision);
}

function budgetOf(workflowId: string): Promise<BudgetStatus> {
  return stack.runs.handle(workflowId).query<BudgetStatus>('pantheon.budget');
}

async function waitUntilPaused(workflowId: string): Promise<BudgetStatus> {
  return waitFor(async () => {
    const budget = await budgetOf(workflowId);
    return budget.state === 'waiting' ? budget : undefined;
  }, 'the budget pause');
}

const mappingInput = (marker: string) => ({
  source: { columns: ['a'], rows: [[marker]] },
  target: { columns: ['b'] },
});

function posts(marker: string): number {
  return openai.requests.filter((r) => JSON.stringify(r.body).includes(marker)).length;
}

describe('per-run budget', () => {
  it('pauses before a call that would pass the token cap, asks, and resumes when the cap is raised', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    const run = await stack.runs.start('column-mapping', {
      ...mappingInput(marker),
      budget: { maxTokens: 100 },
    });

    const paused = await waitUntilPaused(run.workflowId);
    expect(paused).toMatchObject({ maxTokens: 100, totalTokens: 0, calls: 0, remaining: { tokens: 100 } });
    expect(paused.pending!.reasons[0]).toMatch(/^tokens \d+ of 100$/);
    expect(paused.pending!.suggested.maxTokens).toBeGreaterThan(paused.pending!.estimate.tokens);
    const progress = await stack.runs.handle(run.workflowId).query(progressQuery);
    expect(progress).toMatchObject({
      state: 'waiting',
      waitingFor: 'budget approval',
      current: 'Proposing a mapping',
    });
    // `pantheon status` shows it too.
    const status = await stack.runs.status(run.workflowId);
    expect(status.budget).toMatchObject({ state: 'waiting', maxTokens: 100 });
    expect(renderBudget(status.budget!)).toMatch(
      /^LLM 0 of 100 tokens, \$0\.0000 \(0 calls\) — waiting for a budget raise: tokens \d+ of 100/,
    );
    // Nothing was spent: the request never left.
    expect(posts(marker)).toBe(0);
    // The ask went out (no Slack in this stack: the activity says nobody was asked).
    const history = await stack.runs.handle(run.workflowId).fetchHistory();
    expect(
      history.events!.some(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'budget.askRaise',
      ),
    ).toBe(true);

    const raise = { kind: 'raise', maxTokens: paused.pending!.suggested.maxTokens!, by: 'cli:test' } as const;
    await decide(run.workflowId, raise);
    const result = (await stack.runs.handle(run.workflowId).result()) as MappingOutput;
    expect(result.rows).toEqual([[marker]]);
    expect(result.usage).toEqual({
      inputTokens: 200,
      outputTokens: 50,
      totalTokens: 250,
      costUsd: expect.any(Number),
      calls: 1,
      maxTokens: paused.pending!.suggested.maxTokens,
      raised: { tokens: paused.pending!.suggested.maxTokens! - 100, costUsd: 0 },
    });
    expect(posts(marker)).toBe(1);
    const after = await budgetOf(run.workflowId);
    expect(after).toMatchObject({ state: 'ok', decisions: [{ kind: 'raise', by: 'cli:test' }] });
    expect((await stack.runs.status(run.workflowId)).budget).toMatchObject({ totalTokens: 250, calls: 1 });
  });

  it('fails the run with BudgetExceeded when the raise is denied, having spent nothing', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    const run = await stack.runs.start('column-mapping', {
      ...mappingInput(marker),
      budget: { maxCostUsd: 0.00000001 },
    });
    const paused = await waitUntilPaused(run.workflowId);
    expect(paused.pending!.reasons[0]).toMatch(/^cost \$/);

    await decide(run.workflowId, { kind: 'deny', by: 'slack:U999', reason: 'not worth it' });
    const error = await stack.runs
      .handle(run.workflowId)
      .result()
      .catch((e: unknown) => e);
    expect(describeFailure(error)).toEqual({
      type: 'BudgetExceeded',
      message: expect.stringMatching(
        /LLM budget exceeded \(cost .*\) and slack:U999 denied a raise: not worth it/,
      ),
    });
    expect(posts(marker)).toBe(0);
  });

  it('pauses mid-run once actual usage has eaten the cap, and keeps the totals across the pause', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    const run = await stack.runs.start('agent', {
      request: `Count budget-co invoices (${marker})`,
      allow: ['invoices.lookupVendor'],
      budget: { maxTokens: 6000 },
    });
    const paused = await waitUntilPaused(run.workflowId);
    // The first call fit under the estimate check but used 5020 tokens; the second would pass 6000.
    expect(paused).toMatchObject({
      totalTokens: 5020,
      inputTokens: 5000,
      outputTokens: 20,
      calls: 1,
      remaining: { tokens: 980 },
    });
    expect(posts(marker)).toBe(1);

    await decide(run.workflowId, { kind: 'raise', maxTokens: 20_000, by: 'cli:test' });
    const result = (await stack.runs.handle(run.workflowId).result()) as AgentOutput;
    expect(result).toMatchObject({ answer: 'budget-co has no invoices.', stoppedBy: 'answer' });
    expect(result.usage).toMatchObject({
      totalTokens: 5130,
      calls: 2,
      maxTokens: 20_000,
      raised: { tokens: 14_000 },
    });
  });

  it('lets the agent end gracefully when a raise is denied', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    const run = await stack.runs.start('agent', {
      request: `Count budget-co invoices again (${marker})`,
      allow: ['invoices.lookupVendor'],
      budget: { maxTokens: 6000 },
    });
    await waitUntilPaused(run.workflowId);
    await decide(run.workflowId, { kind: 'deny', by: 'cli:test' });
    const result = (await stack.runs.handle(run.workflowId).result()) as AgentOutput;
    expect(result).toMatchObject({ stoppedBy: 'budget', steps: 1, usage: { totalTokens: 5020, calls: 1 } });
    expect(result.answer).toMatch(
      /^Stopped before finishing: LLM budget exceeded .* cli:test denied a raise/,
    );
  });

  it('takes no unsigned, wrongly signed, stale or replayed decision: a raise spends money', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    const run = await stack.runs.start('column-mapping', {
      ...mappingInput(marker),
      budget: { maxTokens: 100 },
    });
    const handle = stack.client.workflow.getHandle(run.workflowId);
    await waitUntilPaused(run.workflowId);
    await waitFor(
      async () =>
        (await handle.fetchHistory()).events!.some((e) => e.activityTaskCompletedEventAttributes) ||
        undefined,
      'the ask (and the decision keys) to come back',
    );
    // Anyone with Temporal access: the old signals, and an Update with no or a foreign signature.
    await handle.signal('pantheon.budget.raise', { maxTokens: 1_000_000, by: 'slack:U_BOSS' });
    await handle.signal('pantheon.budget.deny', { by: 'slack:U_BOSS' });
    await expect(
      handle.executeUpdate('pantheon.budget.decide', {
        args: [
          {
            decision: {
              kind: 'raise',
              maxTokens: 1_000_000,
              by: 'slack:U_BOSS',
              at: new Date().toISOString(),
            },
          },
        ],
      }),
    ).rejects.toThrow();
    const stranger = parseVoteSigningKey(newVoteSigningKey('evil'));
    const impostor = parseVoteSigningKey(newVoteSigningKey(voteSignerFor(stack.config).keyId));
    for (const signer of [stranger, impostor])
      await expect(
        decide(run.workflowId, { kind: 'raise', maxTokens: 1_000_000, by: 'cli:x' }, signer),
      ).rejects.toThrow('The decision is not signed by a known key.');
    // Signed by the real key but sent too late.
    await expect(
      sendBudgetDecision(
        stack.client,
        voteSignerFor(stack.config),
        run.workflowId,
        { kind: 'deny', by: 'cli:slow' },
        new Date(Date.now() - 60_000),
      ),
    ).rejects.toThrow('The decision arrived too late; nothing changed. Please try again.');
    const still = await budgetOf(run.workflowId);
    expect(still).toMatchObject({ state: 'waiting', maxTokens: 100, decisions: [] });
    expect(posts(marker)).toBe(0);

    await decide(run.workflowId, { kind: 'raise', maxTokens: 100_000, by: 'cli:a' });
    const result = (await stack.runs.handle(run.workflowId).result()) as MappingOutput;
    expect(result.usage).toMatchObject({ calls: 1, maxTokens: 100_000 });
    const budget = await budgetOf(run.workflowId);
    expect(budget.decisions.map((d) => [d.kind, d.by])).toEqual([['raise', 'cli:a']]);
    // Once the run has moved on, a late button decides nothing.
    await expect(decide(run.workflowId, { kind: 'deny', by: 'cli:late' })).rejects.toThrow(
      'That run is no longer running (completed).',
    );
  });

  it('is answered from the CLI: `pantheon budget` signs with the deployment’s key; another key changes nothing', async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    const run = await stack.runs.start('column-mapping', {
      ...mappingInput(marker),
      budget: { maxTokens: 100 },
    });
    await waitUntilPaused(run.workflowId);

    const bad = await pantheon(['budget', run.workflowId, 'raise', 'maxTokens=lots']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/"maxTokens=lots" is not a cap: write maxTokens=20000/);
    const forged = await pantheon(['budget', run.workflowId, 'raise', 'maxTokens=100000'], {
      APPROVAL_VOTE_SIGNING_KEY: newVoteSigningKey('evil'),
    });
    expect(forged.code).not.toBe(0);
    expect(forged.stderr).toMatch(/not signed by a known key/);
    expect((await budgetOf(run.workflowId)).state).toBe('waiting');

    const raised = await pantheon(['budget', run.workflowId, 'raise', 'maxTokens=100000'], {
      PANTHEON_OPERATOR: 'dana',
    });
    expect(raised.stdout).toContain(`Budget of ${run.workflowId} raised to 100,000 tokens; the run goes on.`);
    expect(raised.code).toBe(0);
    const result = (await stack.runs.handle(run.workflowId).result()) as MappingOutput;
    expect(result.usage.maxTokens).toBe(100_000);
    // A query of a finished run replays its whole history: refused Updates must leave no trace
    // that makes the replay differ (they once did, through the tracing interceptor).
    expect((await budgetOf(run.workflowId)).decisions.map((d) => [d.kind, d.by])).toEqual([
      ['raise', 'cli:dana'],
    ]);

    const late = await pantheon(['budget', run.workflowId, 'deny']);
    expect(late.code).not.toBe(0);
    expect(late.stderr).toMatch(/That run is no longer running \(completed\)\./);
    expect(late.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
