import { describe, expect, it } from 'vitest';
import type { CommandKitOptions } from '../testing/fakes';
import { commandKit } from '../testing/fakes';
import { TemporalUnavailableError } from '../runs/temporal';
import { cancel } from './cancel';

const id = 'invoice-review-s0123456789a';

function kitWithRun(options: CommandKitOptions, startedBy = 'slack:U_ALICE') {
  const kit = commandKit(options);
  kit.runs.add(id, { workflow: 'invoice-review', startedBy });
  return kit;
}

describe('cancel', () => {
  it('whoever started the run cancels it; its thread will say when it has stopped', async () => {
    const kit = kitWithRun({});
    await cancel(kit.ctx, id);
    expect(kit.runs.cancelled).toEqual([id]);
    expect(kit.runs.calls.filter((c) => c.method === 'cancel')).toEqual([
      { method: 'cancel', workflowId: id, bounded: true },
    ]);
    expect(kit.lastShown()).toBe(
      `⏹️ Cancellation requested for \`${id}\` (*invoice-review*). Its thread will say when it has stopped.`,
    );
  });

  it("someone else's run is refused, naming who may; nothing is cancelled", async () => {
    const kit = kitWithRun({ user: 'U_BOB' });
    await kit.send(`cancel ${id}`);
    expect(kit.lastShown()).toBe(
      `🔒 You can't cancel \`${id}\`: only whoever started it (<@U_ALICE>), one of its approvers, or an operator (the \`operators\` role in the policy file) can.`,
    );
    expect(kit.runs.cancelled).toEqual([]);
    expect(kit.runs.methods()).not.toContain('cancel');
  });

  it('being allowed to run the same workflow is not enough', async () => {
    const kit = kitWithRun({
      user: 'U_BOB',
      policy: { workflows: { 'invoice-review': { run: { everyone: true } } } },
    });
    await kit.send(`cancel ${id}`);
    expect(kit.runs.cancelled).toEqual([]);
  });

  it('an operator may cancel anyone’s run', async () => {
    const kit = kitWithRun({ user: 'U_OPS' });
    await kit.send(`cancel ${id}`);
    expect(kit.runs.cancelled).toEqual([id]);
  });

  it('one of its approvers may cancel it', async () => {
    const kit = kitWithRun({ user: 'U_CAROL', approvers: { [id]: ['slack:U_CAROL'] } });
    await kit.send(`cancel ${id}`);
    expect(kit.runs.cancelled).toEqual([id]);
  });

  it('a run started elsewhere (the CLI) names no starter in the refusal', async () => {
    const kit = kitWithRun({ user: 'U_BOB' }, 'cli:alice');
    await kit.send(`cancel ${id}`);
    expect(kit.lastShown()).toContain(
      `You can't cancel \`${id}\`: only whoever started it, one of its approvers`,
    );
  });

  it('an ended run: nothing to cancel', async () => {
    const kit = kitWithRun({});
    kit.runs.runs.get(id)!.status = 'COMPLETED';
    await kit.send(`cancel ${id}`);
    expect(kit.lastShown()).toBe(`\`${id}\` has already ended (completed); there is nothing to cancel.`);
    expect(kit.runs.cancelled).toEqual([]);
  });

  it('no run id: asks which, without asking Temporal', async () => {
    const kit = commandKit();
    await kit.send('cancel');
    expect(kit.lastShown()).toBe(
      'Which run? `/pantheon cancel <run-id>` — `/pantheon status` lists your recent runs.',
    );
    expect(kit.runs.calls).toEqual([]);
  });

  it('an unknown run id says there is none', async () => {
    const kit = commandKit();
    await kit.send('cancel nope-1');
    expect(kit.lastShown()).toBe('⚠️ There is no run `nope-1`. `/pantheon status` lists your recent runs.');
    expect(kit.runs.methods()).toEqual(['describe']);
  });

  it('Temporal unreachable: a clear message, and nothing cancelled', async () => {
    const kit = kitWithRun({});
    kit.runs.unreachable();
    await kit.send(`cancel ${id}`);
    expect(kit.lastShown()).toMatch(
      /^⚠️ Pantheon cannot reach Temporal right now, so nothing was started or changed/,
    );
    expect(kit.runs.cancelled).toEqual([]);
    expect(kit.runs.calls).toEqual([{ method: 'describe', workflowId: id, bounded: true }]);
  });

  it('Temporal gone between looking and cancelling: the same clear message, never "requested"', async () => {
    const kit = kitWithRun({});
    kit.runs.failing('cancel', new TemporalUnavailableError('no answer within 2000 ms'));
    await kit.send(`cancel ${id}`);
    expect(kit.replies).toHaveLength(1);
    expect(kit.lastShown()).toMatch(/^⚠️ Pantheon cannot reach Temporal right now/);
    expect(kit.runs.cancelled).toEqual([]);
  });
});
