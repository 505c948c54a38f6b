import type { Logger } from '../../core/logger';
import { isAmong, mayRun } from '../../core/policy/access';
import type { AccessDecision } from '../../core/policy/access';
import type { Policy } from '../../core/policy/policy';
import type { SlackLookups } from '../../core/policy/slack-lookups';
import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';

export type { AccessDecision } from '../../core/policy/access';

/** Who is asking, as the request says: the user, where, and their workspace / organisation. */
export interface Requester {
  readonly user: string;
  readonly channel?: string;
  readonly team?: string;
  readonly enterprise?: string;
}

/**
 * Who may do what from Slack. One rule: the deployment policy (PANTHEON_POLICY_FILE) grants —
 * deny by default — and a workflow's code-level `access` lists can only narrow it further.
 * Before any workflow is considered, the person must belong here: the bot's own workspace or one
 * the policy lists under `slack.teams` / `slack.enterprises` (by the request and by `users.info`),
 * and not be a guest unless `slack.allowGuests`. If Slack cannot say, the answer is no.
 */
export class AccessPolicy {
  constructor(
    readonly policy: Policy,
    private readonly lookups: SlackLookups,
    /** The bot's own workspace (`auth.test`). */
    private readonly ownTeam: string | undefined,
    private readonly logger: Logger,
  ) {}

  /** Whether this person may use Pantheon at all (organisation and guest checks). */
  async admit(who: Requester): Promise<AccessDecision> {
    const { slack } = this.policy.document;
    const teams = new Set([...(this.ownTeam ? [this.ownTeam] : []), ...slack.teams]);
    const enterprises = new Set(slack.enterprises);
    const belongs = (team: string | undefined, enterprise: string | undefined) =>
      (team !== undefined && teams.has(team)) || (enterprise !== undefined && enterprises.has(enterprise));
    const outsider: AccessDecision = {
      allowed: false,
      reason:
        'Pantheon is only for members of this workspace; people from other organisations (Slack Connect) cannot use it. Whoever runs Pantheon can allow your workspace under `slack.teams` in the policy file.',
    };
    if ((who.team || who.enterprise) && !belongs(who.team, who.enterprise)) return outsider;
    const person = await this.lookups.person(who.user);
    if (!person) {
      this.logger.warn({ user: who.user }, 'could not look up a Slack user; denying');
      return {
        allowed: false,
        reason: 'Pantheon could not check who you are with Slack just now; try again in a minute.',
      };
    }
    if (!belongs(person.team, person.enterprise)) return outsider;
    if (person.guest && !slack.allowGuests) {
      return {
        allowed: false,
        reason:
          'Guest accounts cannot use Pantheon here (whoever runs it can set `slack.allowGuests` in the policy file).',
      };
    }
    return { allowed: true };
  }

  /** Whether this person may start `definition` here: admitted, granted by the policy, within the code's lists. */
  async check(definition: WorkflowDefinition, who: Requester): Promise<AccessDecision> {
    const admitted = await this.admit(who);
    if (!admitted.allowed) return admitted;
    const granted = await mayRun(this.policy, definition.name, who, this.lookups);
    if (!granted.allowed) return granted;
    return this.withinCode(definition, who);
  }

  /** Whether this person has the `operators` role (may cancel and change the budget of any run). */
  isOperator(user: string): Promise<boolean> {
    return isAmong(this.policy.role('operators'), user, this.lookups);
  }

  /** A workflow's own `access` lists (core/workflow/workflow-definition.ts): an extra restriction. */
  private async withinCode(definition: WorkflowDefinition, who: Requester): Promise<AccessDecision> {
    const { slackUsers = [], slackUserGroups = [], slackChannels = [] } = definition.access;
    if (slackChannels.length > 0 && !(who.channel && slackChannels.includes(who.channel))) {
      return {
        allowed: false,
        reason: `\`${definition.name}\` can only be run in ${slackChannels.map((c) => `<#${c}>`).join(', ')}.`,
      };
    }
    if (slackUsers.length === 0 && slackUserGroups.length === 0) return { allowed: true };
    const listed = {
      slackUsers: [...slackUsers],
      slackGroups: [...slackUserGroups],
      emails: [],
      roles: [],
      everyone: false,
    };
    if (await isAmong(listed, who.user, this.lookups)) return { allowed: true };
    const allowed = [...slackUsers.map((u) => `<@${u}>`), ...slackUserGroups.map((g) => `<!subteam^${g}>`)];
    return {
      allowed: false,
      reason: `\`${definition.name}\` is limited to ${allowed.join(', ')}. Ask one of them, or whoever runs Pantheon, for access.`,
    };
  }
}
