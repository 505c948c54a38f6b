import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApproval } from './support/approvals';
import { runPantheon } from './support/pantheon-cli';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** The real `pantheon` bin, as a user runs it. */
const pantheon = (args: string[], env: NodeJS.ProcessEnv = {}) => runPantheon(args, { ...stack.env, ...env });

describe('pantheon CLI', () => {
  it('lists workflows, by label too', async () => {
    const all = await pantheon(['list']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/invoice-review\s+Check a vendor invoice.*\[finance, sample\]/);
    const none = await pantheon(['list', '--label', 'nothing-has-this']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No workflow has label nothing-has-this/);
  });

  it('runs a workflow with key=value input, shows progress and prints the typed result', async () => {
    const vendor = `cli-${Date.now()}`;
    const { code, stdout, stderr } = await pantheon([
      'run',
      'invoice-review',
      `vendor=${vendor}`,
      'amount=25',
      'currency=GBP',
    ]);
    expect(stderr).toMatch(/Started invoice-review as invoice-review-\w+/);
    expect(stderr).toMatch(/\d\/4 /); // at least one progress line
    expect(stderr).toMatch(/✅ invoice-review completed/);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      vendor,
      amount: 25,
      currency: 'GBP',
      decision: 'auto-approved',
    });
  });

  it('takes --input JSON, waits for an approval decided by another CLI call, and reports status', async () => {
    const id = `cli-approve-${Date.now()}`;
    const running = pantheon(
      ['run', 'invoice-review', '--id', id, '--input', '{"vendor":"big","amount":9999}'],
      { PANTHEON_OPERATOR: 'ops-oncall' },
    );
    const requestId = await openApproval(stack, id);
    const listed = await pantheon(['approvals', '--pending']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${requestId}.*pending.*Invoice: 9999.00 USD from big`));
    // The operator who started the run cannot approve it; another one can.
    const own = await pantheon(['approve', requestId], { PANTHEON_OPERATOR: 'ops-oncall' });
    expect(own).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/You started this run; someone else must approve it/),
    });
    const approved = await pantheon(['approve', requestId, '--comment', 'known vendor'], {
      PANTHEON_OPERATOR: 'ops-lead',
    });
    expect(approved).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(new RegExp(`Approved ${requestId} as ops-lead`)),
    });
    const result = await running;
    expect(result.stderr).toMatch(/Waiting for a review\. .*pantheon approvals --pending.*pantheon approve/);
    expect(result.stderr).not.toMatch(/pantheon signal/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      decision: 'approved',
      reviewedBy: 'cli:ops-lead',
      note: 'known vendor',
    });

    const status = await pantheon(['status', id]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`${id}\\s+invoice-review\\s+COMPLETED`));
    expect(status.stdout).toMatch(/started .* by cli:ops-oncall/);
  });

  it('sends no decision as a signal: approval signals are refused, and invoice-review has none', async () => {
    const id = `cli-signal-${Date.now()}`;
    await pantheon(['run', 'invoice-review', '--id', id, '--no-wait', 'vendor=big', 'amount=9999']);
    const vote = await pantheon(['signal', id, 'pantheon.approval.vote', '{"approve":true}']);
    expect(vote).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Decisions are signed, not signals/),
    });
    const review = await pantheon(['signal', id, 'review', '{"approve":true,"reviewer":"ops"}']);
    expect(review).toMatchObject({ code: 2, stderr: expect.stringMatching(/has no signal "review"/) });
    expect((await stack.runs.status(id)).status).toBe('RUNNING');
    await stack.runs.cancel(id);
  });

  it('exits non-zero with the failure type and message when the run fails', async () => {
    const { code, stderr } = await pantheon(['run', 'invoice-review', 'vendor=sanctioned-co', 'amount=5']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /❌ invoice-review failed .*VendorBlocked: Vendor "sanctioned-co" is on the sanctions list/,
    );
  });

  it('cancels a run', async () => {
    const id = `cli-cancel-${Date.now()}`;
    const started = await pantheon([
      'run',
      'invoice-review',
      '--id',
      id,
      '--no-wait',
      'vendor=x',
      'amount=5000',
    ]);
    expect(started.code).toBe(0);
    const cancelled = await pantheon(['cancel', id]);
    expect(cancelled).toMatchObject({ code: 0, stdout: expect.stringMatching(/Cancellation requested/) });
    await expect(stack.runs.handle(id).result()).rejects.toThrow();
    expect((await stack.runs.status(id)).status).toBe('CANCELLED');
  });

  it('starts nothing for an unknown workflow or bad input, and says why', async () => {
    const before = await stack.client.workflow.count(
      `TaskQueue = "${stack.config.TEMPORAL_TASK_QUEUE_PREFIX}-light"`,
    );
    const unknown = await pantheon(['run', 'invoice-reveiw', 'vendor=a']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /Unknown workflow "invoice-reveiw". Did you mean "invoice-review", "invoice-late-fee"\?/,
    );
    const bad = await pantheon(['run', 'invoice-review', 'amount=lots', 'currency=JPY', 'color=red']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/color: unknown field/);
    expect(bad.stderr).toMatch(/amount: .*number/i);
    expect(bad.stderr).toMatch(/currency: /);
    expect(bad.stderr).toMatch(/vendor: required/);
    expect(bad.stderr).toMatch(/Inputs of invoice-review:\n\s+vendor \(string, required\)/);
    const after = await stack.client.workflow.count(
      `TaskQueue = "${stack.config.TEMPORAL_TASK_QUEUE_PREFIX}-light"`,
    );
    expect(after.count).toBe(before.count);
  });

  it('explains a bad setting in one line', async () => {
    const { code, stderr } = await pantheon(['status', 'x'], { TEMPORAL_ADDRESS: 'not an address' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'Configuration error: TEMPORAL_ADDRESS must be the Temporal frontend as host:port (got "not an address")',
    );
  });
});
