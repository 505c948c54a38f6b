import { describe, expect, it } from 'vitest';
import { commandKit } from '../testing/fakes';
import { list } from './list';

describe('list', () => {
  it('lists only the workflows the caller may run, with their descriptions and labels', async () => {
    const kit = commandKit();
    await list(kit.ctx, undefined);
    expect(kit.replies[0]!.text).toBe('Workflows you can run: expense-approval, invoice-review');
    const seen = kit.lastShown();
    expect(seen).toMatch(/^\*Workflows you can run\*\n/);
    expect(seen).toContain(
      '• `invoice-review` — Check a vendor invoice, ask a person to review it when it looks risky, and record it in the ledger  _finance, sample_',
    );
    expect(seen).toContain('• `expense-approval` — ');
    expect(seen).not.toMatch(/column-mapping|contract-extraction|`agent`/);
    expect(seen).toContain('`/pantheon help <workflow>` shows its inputs and an example.');
    expect(kit.runs.calls).toEqual([]);
  });

  it('by label: only the runnable workflows that carry it', async () => {
    const alice = commandKit();
    await alice.send('list approvals');
    expect(alice.replies[0]!.text).toBe('Workflows you can run: expense-approval');
    expect(alice.lastShown()).toMatch(/^\*Workflows labelled `approvals`\*\n• `expense-approval` — /);

    const bob = commandKit({ user: 'U_BOB' });
    await bob.send('list finance');
    expect(bob.replies[0]!.text).toBe('Workflows you can run: invoice-review');
  });

  it('a label nothing runnable carries says so', async () => {
    const kit = commandKit({ user: 'U_BOB' });
    await kit.send('list approvals');
    expect(kit.lastShown()).toBe('No workflow you may run has the label `approvals`.');
  });

  it('only what may run in this channel', async () => {
    const kit = commandKit({
      channel: 'C_OPS',
      policy: {
        workflows: {
          'invoice-review': { run: { everyone: true }, channels: ['C_FIN'] },
          'expense-approval': { run: { everyone: true } },
        },
      },
    });
    await kit.send('list');
    expect(kit.replies[0]!.text).toBe('Workflows you can run: expense-approval');
  });

  it('nothing runnable at all (an empty policy: deny by default)', async () => {
    const kit = commandKit({ policy: {} });
    await kit.send('list');
    expect(kit.lastShown()).toBe('There is no workflow you may run here yet.');
  });
});
