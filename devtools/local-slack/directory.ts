import { SlackApiError } from './api-error';
import { slackId } from './ids';
import type { UserSeed, WorkspaceSeed } from './seed';
import type { BotIdentity, ConversationRecord, SlackTeam, SlackUser, SlackUsergroup } from './types';

/** Who and where: the team, its users (and the bot user), conversations with members, user groups. */
export class Directory {
  readonly team: SlackTeam;
  readonly bot: BotIdentity;
  private readonly users = new Map<string, SlackUser>();
  private readonly conversations = new Map<string, ConversationRecord>();
  private readonly usergroups = new Map<string, SlackUsergroup>();

  constructor(
    seed: WorkspaceSeed,
    private readonly now: () => number,
  ) {
    const nowSec = Math.floor(now() / 1000);
    this.team = { ...seed.team };
    this.bot = { userId: seed.bot.userId, botId: seed.bot.botId, appId: seed.bot.appId, name: seed.bot.name };
    const botUser = this.buildUser(
      { id: seed.bot.userId, name: seed.bot.name, realName: seed.bot.realName },
      nowSec,
    );
    botUser.is_bot = true;
    botUser.profile.bot_id = seed.bot.botId;
    botUser.profile.api_app_id = seed.bot.appId;
    this.users.set(botUser.id, botUser);
    for (const user of seed.users) this.users.set(user.id, this.buildUser(user, nowSec));

    const humans = seed.users.map((user) => user.id);
    for (const channel of seed.channels) {
      this.conversations.set(channel.id, {
        id: channel.id,
        name: channel.name,
        kind: channel.isPrivate ? 'private' : 'public',
        created: nowSec,
        creator: humans[0] ?? this.bot.userId,
        isGeneral: channel.isGeneral ?? false,
        isArchived: false,
        topic: channel.topic ?? '',
        purpose: channel.purpose ?? '',
        members: channel.members ?? [this.bot.userId, ...humans],
      });
    }
    for (const group of seed.usergroups) {
      this.usergroups.set(group.id, {
        id: group.id,
        team_id: this.team.id,
        is_usergroup: true,
        name: group.name,
        handle: group.handle,
        description: group.description ?? '',
        is_external: false,
        date_create: nowSec,
        date_update: nowSec,
        date_delete: 0,
        created_by: humans[0] ?? this.bot.userId,
        updated_by: humans[0] ?? this.bot.userId,
        user_count: group.users.length,
        users: [...group.users],
      });
    }
  }

  user(id: string): SlackUser | undefined {
    return this.users.get(id);
  }

  requireUser(id: string): SlackUser {
    const user = this.users.get(id);
    if (!user) throw new SlackApiError('user_not_found');
    return user;
  }

  userByEmail(email: string): SlackUser | undefined {
    const wanted = email.toLowerCase();
    return [...this.users.values()].find((user) => user.profile.email?.toLowerCase() === wanted);
  }

  listUsers(): SlackUser[] {
    return [...this.users.values()];
  }

  conversation(id: string): ConversationRecord | undefined {
    return this.conversations.get(id);
  }

  /**
   * Finds a conversation as chat.postMessage's `channel` argument does: an id, a `#name` or name,
   * or a user id (meaning the app's DM with that user, opened on demand).
   */
  resolveChannel(idOrName: string): ConversationRecord {
    const byId = this.conversations.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    const byName = [...this.conversations.values()].find(
      (c) => c.name === name && (c.kind === 'public' || c.kind === 'private'),
    );
    if (byName) return byName;
    if (this.users.has(idOrName) && idOrName !== this.bot.userId)
      return this.openConversation([idOrName]).record;
    throw new SlackApiError('channel_not_found');
  }

  listConversations(): ConversationRecord[] {
    return [...this.conversations.values()];
  }

  /** The app's DM with one user, or a group DM with several; reused when it already exists. */
  openConversation(userIds: readonly string[]): { record: ConversationRecord; alreadyOpen: boolean } {
    const others = [...new Set(userIds)].filter((id) => id !== this.bot.userId);
    if (others.length === 0)
      throw new SlackApiError('invalid_arguments', ['[ERROR] users must name at least one user']);
    for (const id of others) if (!this.users.has(id)) throw new SlackApiError('user_not_found');
    const members = [this.bot.userId, ...others].sort();
    const existing = [...this.conversations.values()].find(
      (c) => (c.kind === 'im' || c.kind === 'mpim') && c.members.join() === members.join(),
    );
    if (existing) return { record: existing, alreadyOpen: true };

    const im = others.length === 1;
    const [first] = others;
    const record: ConversationRecord = {
      id: im && first ? `D${first.replace(/^U/, '')}` : slackId('G'),
      name: im && first ? first : `mpdm-${members.join('--')}-1`,
      kind: im ? 'im' : 'mpim',
      created: Math.floor(this.now() / 1000),
      creator: this.bot.userId,
      isGeneral: false,
      isArchived: false,
      topic: '',
      purpose: '',
      members,
      ...(im && first ? { imUser: first } : {}),
    };
    this.conversations.set(record.id, record);
    return { record, alreadyOpen: false };
  }

  usergroup(id: string): SlackUsergroup | undefined {
    return this.usergroups.get(id);
  }

  listUsergroups(): SlackUsergroup[] {
    return [...this.usergroups.values()];
  }

  private buildUser(seed: UserSeed, nowSec: number): SlackUser {
    const realName = seed.realName ?? seed.name;
    return {
      id: seed.id,
      team_id: seed.teamId ?? this.team.id,
      name: seed.name,
      real_name: realName,
      deleted: false,
      is_bot: false,
      is_app_user: false,
      is_admin: seed.isAdmin ?? false,
      is_owner: false,
      is_restricted: seed.guest !== undefined,
      is_ultra_restricted: seed.guest === 'single',
      ...(seed.enterpriseId ? { enterprise_user: { id: seed.id, enterprise_id: seed.enterpriseId } } : {}),
      tz: seed.tz ?? 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      updated: nowSec,
      profile: {
        real_name: realName,
        display_name: seed.name,
        title: seed.title ?? '',
        ...(seed.email ? { email: seed.email } : {}),
        image_48: `https://avatars.local-slack.invalid/${seed.id}_48.png`,
        team: seed.teamId ?? this.team.id,
      },
    };
  }
}

/** A conversation in the shape conversations.info/list return it, seen from the bot. */
export function renderConversation(record: ConversationRecord, botUserId: string): Record<string, unknown> {
  const isMember = record.members.includes(botUserId);
  if (record.kind === 'im') {
    return {
      id: record.id,
      created: record.created,
      is_im: true,
      is_org_shared: false,
      user: record.imUser,
      is_user_deleted: false,
      priority: 0,
    };
  }
  return {
    id: record.id,
    name: record.name,
    is_channel: record.kind === 'public',
    is_group: record.kind === 'private',
    is_im: false,
    is_mpim: record.kind === 'mpim',
    is_private: record.kind !== 'public',
    created: record.created,
    is_archived: record.isArchived,
    is_general: record.isGeneral,
    unlinked: 0,
    name_normalized: record.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    is_member: isMember,
    creator: record.creator,
    topic: {
      value: record.topic,
      creator: record.topic ? record.creator : '',
      last_set: record.topic ? record.created : 0,
    },
    purpose: {
      value: record.purpose,
      creator: record.purpose ? record.creator : '',
      last_set: record.purpose ? record.created : 0,
    },
    previous_names: [],
    num_members: record.members.length,
  };
}
