import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PolicyInput } from '../../core/policy/schema';
import { workflowDefinitions } from '../../config/workflows';

/**
 * The policy the test stacks run with unless a test brings its own: the seeded local workspace
 * (devtools/local-slack/seed.ts) may run every catalogue workflow; bob manages, carol is finance, bob
 * is an operator — the people the tests talk about.
 */
export function testPolicy(extra: PolicyInput = {}, runnable: readonly string[] = []): PolicyInput {
  const names = [...workflowDefinitions.map((d) => d.name), ...runnable];
  const everyone = Object.fromEntries(names.map((name) => [name, { run: { everyone: true } }]));
  return {
    ...extra,
    roles: { operators: { slackUsers: ['U_BOB'] }, ...extra.roles },
    workflows: {
      ...everyone,
      // Bob or carol reviews a risky invoice: whichever of them did not start the run.
      'invoice-review': {
        run: { everyone: true },
        approvers: { review: { slackUsers: ['U_BOB'], emails: ['carol@example.com'] } },
      },
      'expense-approval': {
        run: { everyone: true },
        approvers: { manager: { slackUsers: ['U_BOB'] }, finance: { emails: ['carol@example.com'] } },
      },
      agent: { run: { everyone: true }, approvers: { '*': { slackUsers: ['U_BOB', 'U_CAROL'] } } },
      ...extra.workflows,
    },
  };
}

/** Writes a policy to a fresh temporary file and returns its path (for PANTHEON_POLICY_FILE). */
export function writePolicy(policy: PolicyInput): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pantheon-policy-')), 'policy.yaml');
  writeFileSync(path, stringify(policy));
  return path;
}
