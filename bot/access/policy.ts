import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../core/logger';
import type { WorkflowDefinition } from '../../core/registry/workflow-definition';

export type AccessDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * Who may run what: a workflow's `access` allow-lists. Channels (if listed) say where; users and
 * user groups (if either is listed) say who — a person passes by being listed or in a listed group.
 * Group members come from `usergroups.users.list`, cached briefly; if Slack cannot say, the answer is no.
 */
export class AccessPolicy {
  readonly #members = new Map<string, { users: Promise<ReadonlySet<string>>; until: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly cacheMs: number,
    private readonly logger: Logger,
  ) {}

  async check(
    definition: WorkflowDefinition,
    who: { user: string; channel?: string },
  ): Promise<AccessDecision> {
    const { slackUsers = [], slackUserGroups = [], slackChannels = [] } = definition.access;
    if (slackChannels.length > 0 && !(who.channel && slackChannels.includes(who.channel))) {
      return {
        allowed: false,
        reason: `\`${definition.name}\` can only be run in ${slackChannels.map((c) => `<#${c}>`).join(', ')}.`,
      };
    }
    if (slackUsers.length === 0 && slackUserGroups.length === 0) return { allowed: true };
    if (slackUsers.includes(who.user)) return { allowed: true };
    for (const group of slackUserGroups) {
      if ((await this.membersOf(group)).has(who.user)) return { allowed: true };
    }
    const allowed = [...slackUsers.map((u) => `<@${u}>`), ...slackUserGroups.map((g) => `<!subteam^${g}>`)];
    return {
      allowed: false,
      reason: `\`${definition.name}\` is limited to ${allowed.join(', ')}. Ask one of them, or whoever runs Pantheon, for access.`,
    };
  }

  private membersOf(group: string): Promise<ReadonlySet<string>> {
    const cached = this.#members.get(group);
    if (cached && cached.until > Date.now()) return cached.users;
    const users = this.client.usergroups.users
      .list({ usergroup: group })
      .then((response) => new Set(response.users ?? []))
      .catch((error: unknown) => {
        this.#members.delete(group); // ask again next time
        this.logger.warn({ err: error, group }, 'could not list user group members; denying');
        return new Set<string>();
      });
    this.#members.set(group, { users, until: Date.now() + this.cacheMs });
    return users;
  }
}
