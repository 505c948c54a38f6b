import { describe, expect, it } from 'vitest';
import { ErrorCode, PantheonError } from '../../core/errors';
import { readMetadata } from '../modal/metadata';
import { workflowIdFor } from '../runs/ids';
import { commandKit, shown } from '../testing/fakes';
import { run } from './run';

const invoiceId = workflowIdFor('invoice-review', { kind: 'command', id: 'trigger-1' });

describe('run: starting', () => {
  it('starts the run with the typed input, an id from the request and the Slack memo, and says where it reports', async () => {
    const kit = commandKit();
    await run(kit.ctx, 'invoice-review', 'vendor="Acme Corp" amount=1200 currency=EUR');

    expect(kit.runs.starts).toEqual([
      {
        name: 'invoice-review',
        input: { vendor: 'Acme Corp', amount: 1200, currency: 'EUR', reviewTimeoutHours: 24 },
        options: {
          workflowId: invoiceId,
          startedBy: 'slack:U_ALICE',
          memo: { slack: { channel: 'C_OPS', user: 'U_ALICE' } },
        },
      },
    ]);
    expect(kit.runs.calls).toEqual([{ method: 'start', workflowId: invoiceId, bounded: true }]);
    expect(kit.runLog.rows).toMatchObject([
      {
        workflowId: invoiceId,
        runId: 'run-1',
        workflow: 'invoice-review',
        startedBy: 'slack:U_ALICE',
        channel: 'C_OPS',
      },
    ]);
    expect(kit.replies).toHaveLength(1);
    expect(kit.lastShown()).toContain(
      `🚀 Started *invoice-review* as \`${invoiceId}\`. Its progress and result will appear in a thread in this channel.`,
    );
    expect(kit.lastShown()).toContain(
      `<https://temporal.test/workflows/${invoiceId}/run-1|Open in Temporal>`,
    );
    expect(kit.replies[0]!.text).toBe(
      `🚀 Started invoice-review as ${invoiceId}. Its progress and result will appear in a thread in this channel.`,
    );
  });

  it('explains that key=@file is for the terminal, and starts nothing', async () => {
    const kit = commandKit();
    await kit.send('run invoice-review vendor=@./acme.pdf amount=1');
    expect(kit.lastShown()).toContain(
      '`vendor=@…` uploads a file from your computer, which only the terminal can do',
    );
    expect(kit.lastShown()).toContain('`pantheon run invoice-review vendor=@./your-file`');
    expect(kit.runs.calls).toEqual([]);
  });

  it('takes a JSON object as the input too', async () => {
    const kit = commandKit();
    await run(kit.ctx, 'invoice-review', '{"vendor": "acme", "amount": 5}');
    expect(kit.runs.starts[0]?.input).toEqual({
      vendor: 'acme',
      amount: 5,
      currency: 'USD',
      reviewTimeoutHours: 24,
    });
    expect(kit.lastShown()).toContain('🚀 Started *invoice-review*');
  });

  it('answers a repeat of the same request (a Slack retry) with the run it already started', async () => {
    const kit = commandKit();
    await run(kit.ctx, 'invoice-review', 'vendor=acme amount=5');
    await run(kit.ctx, 'invoice-review', 'vendor=acme amount=5');
    expect(kit.runs.runs.size).toBe(1);
    expect(kit.runLog.rows).toHaveLength(1);
    expect(shown(kit.replies[1])).toContain(
      `👌 This request had already started *invoice-review* as \`${invoiceId}\`; nothing new was started.`,
    );
  });

  it('from a mention, reports in the thread the mention was in', async () => {
    const kit = commandKit({ from: 'mention' });
    await run(kit.ctx, 'invoice-review', 'vendor=acme amount=5');
    expect(kit.runs.starts[0]?.options).toEqual({
      workflowId: workflowIdFor('invoice-review', { kind: 'event', id: 'Ev1' }),
      startedBy: 'slack:U_ALICE',
      memo: { slack: { channel: 'C_OPS', user: 'U_ALICE', threadTs: '1700000000.000100' } },
    });
    expect(kit.runLog.rows[0]).toMatchObject({ threadTs: '1700000000.000100' });
  });

  it('still starts and answers when the runs table cannot be written, and logs a warning', async () => {
    const kit = commandKit();
    kit.runLog.failure = new Error('connection refused');
    await run(kit.ctx, 'invoice-review', 'vendor=acme amount=5');
    expect(kit.runs.starts).toHaveLength(1);
    expect(kit.lastShown()).toContain('🚀 Started *invoice-review*');
    expect(kit.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'could not record the run in the runs table',
        workflowId: invoiceId,
      }),
    );
  });

  it('without a workflow, shows the usage and only what the caller may run', async () => {
    const kit = commandKit();
    await run(kit.ctx, undefined, '');
    expect(kit.lastShown()).toContain('You can run: `expense-approval`, `invoice-review`');
    expect(kit.lastShown()).not.toContain('column-mapping');
    expect(kit.lastShown()).toContain(
      'For example `/pantheon run expense-approval description="Team dinner" amount=240`',
    );
    expect(kit.runs.calls).toEqual([]);
  });
});

describe('run: missing inputs', () => {
  it('from a slash command, opens the form prefilled with what was typed, and starts nothing', async () => {
    const kit = commandKit();
    await run(kit.ctx, 'invoice-review', 'amount=5');
    expect(kit.runs.calls).toEqual([]);
    expect(kit.replies).toEqual([]);
    expect(kit.modals).toHaveLength(1);
    const modal = kit.modals[0]!;
    expect(readMetadata(modal.private_metadata ?? '')).toEqual({
      workflow: 'invoice-review',
      channel: 'C_OPS',
      responseUrl: 'https://hooks.slack.test/commands/1',
    });
    expect(modal.blocks).toContainEqual(
      expect.objectContaining({
        block_id: 'field:amount',
        element: expect.objectContaining({ type: 'number_input', initial_value: '5' }),
      }),
    );
    expect(modal.blocks).toContainEqual(
      expect.objectContaining({ block_id: 'field:vendor', optional: false }),
    );
  });

  it('from a mention (no trigger to open a form with), offers a button that carries what was typed', async () => {
    const kit = commandKit({ from: 'mention' });
    await run(kit.ctx, 'invoice-review', 'amount=5');
    expect(kit.runs.calls).toEqual([]);
    expect(kit.modals).toEqual([]);
    expect(kit.lastShown()).toBe('*invoice-review* needs `vendor`.\nFill in the inputs');
    const button = JSON.stringify(kit.replies[0]!.blocks);
    expect(button).toContain('\\"prefill\\":{\\"amount\\":5}');
    expect(button).toContain('\\"threadTs\\":\\"1700000000.000100\\"');
  });
});

describe('run: refusals', () => {
  it('names each bad field on its own line, with what it expects, and starts nothing', async () => {
    const kit = commandKit();
    await run(kit.ctx, 'invoice-review', 'vendor= amount=lots currency=XYZ');
    expect(kit.runs.calls).toEqual([]);
    expect(kit.runLog.rows).toEqual([]);
    expect(kit.modals).toEqual([]);
    const lines = kit.lastShown().split('\n');
    expect(lines[0]).toBe('⚠️ *invoice-review* was not started: its input has 3 problems.');
    expect(lines.filter((l) => l.startsWith('• `vendor` —'))).toEqual([
      expect.stringMatching(/^• `vendor` — Too small: .* · _expects string, required_$/),
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(/^• `amount` — .*expected number.* · _expects number, required_$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^• `currency` — Invalid option: .* · _expects USD \| EUR \| GBP, default "USD"_$/,
      ),
    );
    expect(kit.lastShown()).toContain('`/pantheon run invoice-review vendor=acme amount=1200 currency=EUR`');
  });

  it('a single bad field is "a problem", even when another input is missing', async () => {
    const kit = commandKit();
    await run(kit.ctx, 'invoice-review', 'amount=-3');
    expect(kit.modals).toEqual([]);
    expect(kit.runs.calls).toEqual([]);
    expect(kit.lastShown()).toMatch(/was not started: its input has 2 problems/);
    expect(kit.lastShown()).toMatch(/^• `amount` — /m);
    expect(kit.lastShown()).toMatch(/^• `vendor` — /m);
  });

  it('an unknown workflow gets the closest names the caller may run, and nothing is asked of Temporal', async () => {
    const kit = commandKit();
    await kit.send('run invoice-reveiw vendor=acme amount=5');
    expect(kit.lastShown()).toBe(
      '🤔 There is no workflow called `invoice-reveiw`. Did you mean `invoice-review`? `/pantheon list` shows what you can run.',
    );
    expect(kit.runs.calls).toEqual([]);
  });

  it('never suggests a workflow the caller may not run', async () => {
    const alice = commandKit();
    await alice.send('run expense-aproval');
    expect(alice.lastShown()).toContain('Did you mean `expense-approval`?');
    const bob = commandKit({ user: 'U_BOB' });
    await bob.send('run expense-aproval');
    expect(bob.lastShown()).toContain('There is no workflow called `expense-aproval`.');
    expect(bob.lastShown()).not.toContain('Did you mean');
  });

  it('not allowed by the policy: names who may, and starts nothing', async () => {
    const kit = commandKit({ user: 'U_BOB' });
    await kit.send('run expense-approval description=dinner amount=40');
    expect(kit.lastShown()).toBe(
      "🔒 You can't run this here: `expense-approval` is limited to <@U_ALICE>, <!subteam^S_FINANCE>. Ask one of them, or whoever runs Pantheon, for access. Nothing was started.",
    );
    expect(kit.runs.calls).toEqual([]);
  });

  it('a member of a group the policy names may run it', async () => {
    const kit = commandKit({ user: 'U_CAROL' });
    await kit.send('run expense-approval description=dinner amount=40');
    expect(kit.runs.starts).toMatchObject([
      { name: 'expense-approval', options: { startedBy: 'slack:U_CAROL' } },
    ]);
  });

  it('a workflow the policy does not name runs for nobody, and the refusal names the key to set', async () => {
    const kit = commandKit();
    await kit.send('run column-mapping');
    expect(kit.lastShown()).toContain('Nobody may run `column-mapping` yet');
    expect(kit.lastShown()).toContain('`workflows.column-mapping.run`');
    expect(kit.modals).toEqual([]);
    expect(kit.runs.calls).toEqual([]);
  });

  it('outside the channels the policy lists, says where it can be run', async () => {
    const kit = commandKit({
      policy: { workflows: { 'invoice-review': { run: { everyone: true }, channels: ['C_FIN'] } } },
    });
    await kit.send('run invoice-review vendor=acme amount=5');
    expect(kit.lastShown()).toContain('`invoice-review` can only be run in <#C_FIN>.');
    expect(kit.runs.calls).toEqual([]);
  });
});

describe('run: failures', () => {
  it('Temporal unreachable: says so clearly, and nothing is started or recorded', async () => {
    const kit = commandKit();
    kit.runs.unreachable();
    await kit.send('run invoice-review vendor=acme amount=5');
    expect(kit.replies).toHaveLength(1);
    expect(kit.lastShown()).toBe(
      '⚠️ Pantheon cannot reach Temporal right now, so nothing was started or changed. Please try again in a minute; if it keeps happening, tell whoever runs Pantheon.',
    );
    expect(kit.runs.calls).toEqual([{ method: 'start', workflowId: invoiceId, bounded: true }]);
    expect(kit.runs.runs.size).toBe(0);
    expect(kit.runLog.rows).toEqual([]);
  });

  it("a PantheonError is the user's to fix: its message, as it is", async () => {
    const kit = commandKit();
    kit.runs.failing(
      'start',
      new PantheonError(ErrorCode.InvalidInput, 'input for invoice-review: amount: too big'),
    );
    await kit.send('run invoice-review vendor=acme amount=5');
    expect(kit.lastShown()).toBe('⚠️ input for invoice-review: amount: too big');
    expect(kit.runLog.rows).toEqual([]);
  });

  it('anything else: "not you", nothing done, and the error in the log', async () => {
    const kit = commandKit();
    const error = new Error('socket hang up');
    kit.runs.failing('start', error);
    await kit.send('run invoice-review vendor=acme amount=5');
    expect(kit.lastShown()).toBe(
      '⚠️ Something went wrong on our side and nothing was done. The error is in the bot’s log; please try again.',
    );
    expect(kit.logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'slack request failed',
        err: expect.objectContaining({ message: 'socket hang up' }),
      }),
    );
    expect(kit.runLog.rows).toEqual([]);
  });
});
