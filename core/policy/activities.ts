import { implementActivity } from '../registry/activity-registry';
import type { ActivityImplementation } from '../registry/activity-registry';
import { mayRun } from './access';
import type { PeopleLookups } from './access';
import type { Policy } from './policy';
import { checkPolicy } from './specs';

/**
 * The policy activities, closed over the worker's policy and Slack reads. A requester who is not
 * a Slack user (`cli:…`, a direct Temporal start) already holds operator access to Temporal and
 * could start the workflow directly, so only Slack requesters are checked.
 */
export function createPolicyActivities(deps: {
  policy: Policy;
  lookups: PeopleLookups;
}): ActivityImplementation[] {
  const check = implementActivity(checkPolicy, async ({ workflow, requester, channel }) => {
    if (!requester.startsWith('slack:')) return { allowed: true };
    const user = requester.slice('slack:'.length);
    const decision = await mayRun(
      deps.policy,
      workflow,
      { user, ...(channel ? { channel } : {}) },
      deps.lookups,
    );
    return decision.allowed ? { allowed: true } : { allowed: false, reason: decision.reason };
  });
  return [check];
}
