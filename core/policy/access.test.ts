import { describe, expect, it } from 'vitest';
import { workflowTypeOf } from '../workflow/workflow-definition';
import { workflowDefinitions } from '../../config/workflows';
import { mayRun } from './access';
import type { PeopleLookups } from './access';
import { Policy, workflowNameOf } from './policy';

const lookups: PeopleLookups = {
  groupMembers: async (group) => new Set(group === 'S_FIN' ? ['U_CAROL'] : []),
  emailOf: async (user) => (user === 'U_DAVE' ? 'dave@example.com' : undefined),
};

describe('mayRun', () => {
  const policy = Policy.from({
    workflows: {
      open: { run: { everyone: true } },
      finance: {
        run: { slackUsers: ['U_BOB'], slackGroups: ['S_FIN'], emails: ['dave@example.com'] },
        channels: ['C_FIN'],
      },
    },
  });

  it('denies a workflow the policy does not name, naming the key to set', async () => {
    expect(await mayRun(policy, 'secret', { user: 'U_BOB' }, lookups)).toEqual({
      allowed: false,
      reason: expect.stringMatching(/Nobody may run `secret` yet: .*`workflows\.secret\.run`/),
    });
  });

  it('grants listed users, group members and addresses, in the listed channels only', async () => {
    for (const user of ['U_BOB', 'U_CAROL', 'U_DAVE']) {
      expect(await mayRun(policy, 'finance', { user, channel: 'C_FIN' }, lookups)).toEqual({ allowed: true });
    }
    expect(await mayRun(policy, 'finance', { user: 'U_ALICE', channel: 'C_FIN' }, lookups)).toEqual({
      allowed: false,
      reason:
        '`finance` is limited to <@U_BOB>, <!subteam^S_FIN>, dave@example.com. Ask one of them, or whoever runs Pantheon, for access.',
    });
    expect(await mayRun(policy, 'finance', { user: 'U_BOB', channel: 'C_OPS' }, lookups)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/only be run in <#C_FIN>/),
    });
    expect(await mayRun(policy, 'open', { user: 'U_ALICE' }, lookups)).toEqual({ allowed: true });
  });
});

it('finds every catalogue workflow’s policy name from its workflow type', () => {
  for (const { name } of workflowDefinitions) expect(workflowNameOf(workflowTypeOf(name))).toBe(name);
});
