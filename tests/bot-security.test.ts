import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runs } from '../core/runs';
import { createDataConverter } from '../core/temporal/data-converter';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';
import type { SignatureMode } from '@pantheon/local-slack';

/** Requests Slack did not sign (or signed too long ago) never reach a listener; a dead Temporal is explained at once. */
let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('request verification', () => {
  it.each<SignatureMode>(['unsigned', 'wrong', 'stale'])(
    'answers %s commands, events and form submissions with 401 and starts nothing',
    async (signature) => {
      const before = await h.countWorkflows();
      const command = await h.slack.slashCommand(
        { user: 'U_ALICE', channel: 'C_OPS', text: 'run invoice-review vendor=forged amount=1' },
        { signature },
      );
      expect(command.status).toBe(401);
      const mention = await h.slack.appMention(
        { user: 'U_ALICE', channel: 'C_OPS', text: 'run invoice-review vendor=forged amount=1' },
        { signature },
      );
      expect(mention.status).toBe(401);

      const since = h.slack.seq;
      const opening = await h.slack.slashCommand({
        user: 'U_ALICE',
        channel: 'C_OPS',
        text: 'run invoice-review vendor=forged',
      });
      const { view } = await h.slack.waitFor('view_opened', (e) => e.user === 'U_ALICE', { since });
      expect(opening.status).toBe(200);
      const submitted = await h.slack.submitView(
        { user: 'U_ALICE', viewId: view.id, values: { 'field:amount': { value: '1' } } },
        { signature },
      );
      expect(submitted.status).toBe(401);
      await h.slack.closeView({ user: 'U_ALICE', viewId: view.id });

      await new Promise((r) => setTimeout(r, 300));
      expect(await h.countWorkflows()).toBe(before);
      expect(h.slack.ephemerals({ user: 'U_ALICE' }).filter((e) => /forged/.test(e.message.text))).toEqual(
        [],
      );
    },
  );

  it('serves /healthz', async () => {
    const response = await fetch(`${h.bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });
});

describe('Temporal unreachable', () => {
  let dead: BotHarness;
  beforeAll(async () => {
    // The real bot, whose Temporal client points at a port nobody listens on.
    dead = await startBotHarness({
      workers: false,
      runs: (stack, workflows) =>
        new Runs(
          new Client({
            connection: Connection.lazy({ address: '127.0.0.1:1' }),
            dataConverter: createDataConverter(stack.config),
          }),
          workflows,
          stack.config,
        ),
    });
  });
  afterAll(async () => {
    await dead?.close();
  });

  it('acks at once and tells the user within 3 s that nothing was started', async () => {
    const started = Date.now();
    const command = await dead.slack.slashCommand({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: 'run invoice-review vendor=x amount=1',
    });
    expect(command.status).toBe(200);
    expect(command.durationMs).toBeLessThan(500);
    const answer = await dead.answer(command, 3000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer.outcome).toBe('ephemeral');
    expect(answer.body.text).toMatch(/cannot reach Temporal right now, so nothing was started/);

    const status = await dead.slack.slashCommand({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: 'status invoice-review-sabc',
    });
    expect((await dead.answer(status, 3000)).body.text).toMatch(/cannot reach Temporal/);
    const mention = await dead.slack.appMention({
      user: 'U_BOB',
      channel: 'C_OPS',
      text: 'run invoice-review vendor=x amount=1',
    });
    const warning = await dead.slack.waitFor(
      'ephemeral_posted',
      (e) => e.ephemeral.user === 'U_BOB' && e.ephemeral.thread_ts === mention.ts,
      3000,
    );
    expect(warning.ephemeral.message.text).toMatch(/cannot reach Temporal/);
  });
});
