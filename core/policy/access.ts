import type { Policy } from './policy';
import type { People } from './schema';

export type AccessDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** What deciding needs from Slack: user group members and a person's address. Fail closed. */
export interface PeopleLookups {
  groupMembers(group: string): Promise<ReadonlySet<string>>;
  emailOf(user: string): Promise<string | undefined>;
}

/** Whether a Slack user is one of `people` (listed, in a listed group, or by address). */
export async function isAmong(people: People, user: string, lookups: PeopleLookups): Promise<boolean> {
  if (people.everyone || people.slackUsers.includes(user)) return true;
  for (const group of people.slackGroups) {
    if ((await lookups.groupMembers(group)).has(user)) return true;
  }
  if (people.emails.length === 0) return false;
  const email = (await lookups.emailOf(user))?.toLowerCase();
  return email !== undefined && people.emails.includes(email);
}

/** `<@U1>, <!subteam^S1>, a@example.com`, or `everyone in the workspace`. */
export function describePeople(people: People): string {
  if (people.everyone) return 'everyone in the workspace';
  return [
    ...people.slackUsers.map((u) => `<@${u}>`),
    ...people.slackGroups.map((g) => `<!subteam^${g}>`),
    ...people.emails,
  ].join(', ');
}

export function nobody(people: People): boolean {
  return (
    !people.everyone && people.slackUsers.length + people.slackGroups.length + people.emails.length === 0
  );
}

/**
 * The policy's answer to "may this Slack user start `workflow` here?" — deny by default: a
 * workflow the policy does not name can be run by nobody, and the answer says which key to set.
 * Organisation and guest checks come first and are the caller's (they need the request).
 */
export async function mayRun(
  policy: Policy,
  workflow: string,
  who: { readonly user: string; readonly channel?: string },
  lookups: PeopleLookups,
): Promise<AccessDecision> {
  const channels = policy.workflow(workflow)?.channels;
  if (channels && !(who.channel && channels.includes(who.channel))) {
    return {
      allowed: false,
      reason: `\`${workflow}\` can only be run in ${channels.map((c) => `<#${c}>`).join(', ')}.`,
    };
  }
  const runners = policy.runners(workflow);
  if (nobody(runners)) {
    return {
      allowed: false,
      reason: `Nobody may run \`${workflow}\` yet: whoever runs Pantheon lists who may under \`workflows.${workflow}.run\` in the policy file (PANTHEON_POLICY_FILE).`,
    };
  }
  if (await isAmong(runners, who.user, lookups)) return { allowed: true };
  return {
    allowed: false,
    reason: `\`${workflow}\` is limited to ${describePeople(runners)}. Ask one of them, or whoever runs Pantheon, for access.`,
  };
}
