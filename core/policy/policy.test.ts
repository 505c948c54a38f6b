import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from './load';
import { Policy } from './policy';

describe('Policy', () => {
  const policy = Policy.from({
    roles: { operators: { slackUsers: ['U_OPS'], slackGroups: ['S_OPS'] } },
    workflows: {
      'expense-approval': {
        run: { everyone: true },
        approvers: { manager: { slackUsers: ['U_BOB'] }, '*': { roles: ['operators'] } },
        selfApproval: ['finance'],
      },
    },
  });

  it('denies by default: a workflow the policy does not name has no runners', () => {
    expect(policy.runners('invoice-review')).toMatchObject({
      everyone: false,
      slackUsers: [],
      slackGroups: [],
    });
  });

  it('resolves step approvers, falling back to * with roles expanded', () => {
    expect(policy.approvers('expense-approval', 'manager')?.slackUsers).toEqual(['U_BOB']);
    expect(policy.approvers('expense-approval', 'finance')).toMatchObject({
      slackUsers: ['U_OPS'],
      slackGroups: ['S_OPS'],
    });
    expect(policy.approvers('agent', 'x')).toBeUndefined();
  });

  it('self-approval only where named', () => {
    expect(policy.allowsSelfApproval('expense-approval', 'finance')).toBe(true);
    expect(policy.allowsSelfApproval('expense-approval', 'manager')).toBe(false);
  });
});

describe('loadPolicy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  it('names the file and the bad field', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'workflows:\n  expense-approval:\n    run: { slackUsers: [bob] }\n');
    expect(() => loadPolicy(path)).toThrow(
      /bad\.yaml: workflows\.expense-approval\.run\.slackUsers\.0: .*Slack user id/,
    );
  });
  it('a missing file is an empty policy unless required', () => {
    expect(loadPolicy(join(dir, 'none.yaml')).runners('agent').everyone).toBe(false);
    expect(() => loadPolicy(join(dir, 'none.yaml'), { required: true })).toThrow(/no policy file/);
  });
});
