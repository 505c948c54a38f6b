import { describe, expect, it } from 'vitest';
import { commandKit } from '../testing/fakes';
import { help } from './help';

describe('help', () => {
  it('without a workflow: the commands and what the caller may run', async () => {
    const kit = commandKit();
    await help(kit.ctx, undefined);
    const seen = kit.lastShown();
    for (const usage of [
      'run <workflow> key=value …',
      'list [label]',
      'help <workflow>',
      'help tools',
      'status [run-id]',
      'cancel <run-id>',
    ]) {
      expect(seen).toContain(`• \`/pantheon ${usage.replace('<', '&lt;').replace('>', '&gt;')}\``);
    }
    expect(seen).toContain('*You can run:* `expense-approval`, `invoice-review`');
    expect(kit.runs.calls).toEqual([]);
  });

  it('nothing typed is the help', async () => {
    const kit = commandKit({ user: 'U_BOB' });
    await kit.send('');
    expect(kit.lastShown()).toContain('*You can run:* `invoice-review`');
    expect(kit.lastShown()).not.toContain('expense-approval');
  });

  it("a workflow's description, each input with its type and default, an example and its labels", async () => {
    const kit = commandKit();
    await kit.send('help invoice-review');
    const reply = kit.replies[0]!;
    expect(reply.blocks?.[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'invoice-review' },
    });
    const seen = kit.lastShown();
    expect(seen).toContain('Check a vendor invoice, ask a person to review it when it looks risky');
    expect(seen).toContain(
      [
        '*Inputs*',
        '• `vendor` _string, required_ — vendor name',
        '• `amount` _number, required_ — invoice amount',
        '• `currency` _USD | EUR | GBP, default "USD"_ — currency of the amount',
        '• `reviewTimeoutHours` _number, default 24_ — hours to wait for a review before rejecting',
      ].join('\n'),
    );
    expect(seen).toContain('*Example*\n`/pantheon run invoice-review vendor=acme amount=1200 currency=EUR`');
    expect(seen).toContain('Labels: finance, sample');
  });

  it('an unknown workflow: the closest names', async () => {
    const kit = commandKit();
    await kit.send('help expense');
    expect(kit.lastShown()).toBe(
      '🤔 There is no workflow called `expense`. Did you mean `expense-approval`? `/pantheon list` shows what you can run.',
    );
  });

  it('a workflow the caller may not run: why not, and none of its inputs', async () => {
    const kit = commandKit({ user: 'U_BOB' });
    await kit.send('help expense-approval');
    expect(kit.replies).toHaveLength(1);
    expect(kit.lastShown()).toContain(
      "🔒 You can't run this here: `expense-approval` is limited to <@U_ALICE>",
    );
    expect(kit.lastShown()).not.toContain('*Inputs*');
  });

  it('help tools: each tool with its activities, tier and whether they change things', async () => {
    const kit = commandKit();
    await kit.send('help tools');
    const seen = kit.lastShown();
    expect(kit.replies[0]!.blocks?.[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Tools' },
    });
    expect(seen).toContain('*repository*');
    expect(seen).toContain('• `repository.insert` _light, changes things_ — Insert rows into a table');
    expect(seen).toContain('• `code.execute` _heavy');
    expect(seen).toContain('• `postgres.query` _light_ — Run one parameterized SQL statement');
    expect(kit.runs.calls).toEqual([]);
  });
});
