import type { SlackTeam } from './types';

/** Inputs for the seeded workspace; the defaults match the personas the bot's tests talk about. */
export interface UserSeed {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  title?: string;
  isAdmin?: boolean;
  tz?: string;
  /** A guest account: `multi` (is_restricted) or `single`-channel (is_ultra_restricted). */
  guest?: 'multi' | 'single';
  /** A Slack Connect user from another workspace / Enterprise Grid organisation. */
  teamId?: string;
  enterpriseId?: string;
}

export interface ChannelSeed {
  id: string;
  name: string;
  isPrivate?: boolean;
  isGeneral?: boolean;
  topic?: string;
  purpose?: string;
  /** Defaults to every human user and the bot. Leave the bot out to test `not_in_channel`. */
  members?: string[];
}

export interface UsergroupSeed {
  id: string;
  handle: string;
  name: string;
  description?: string;
  users: string[];
}

export interface BotSeed {
  userId: string;
  botId: string;
  appId: string;
  name: string;
  realName?: string;
}

export interface WorkspaceSeed {
  team: SlackTeam;
  bot: BotSeed;
  users: UserSeed[];
  channels: ChannelSeed[];
  usergroups: UsergroupSeed[];
}

export const DEFAULT_WORKSPACE: WorkspaceSeed = {
  team: { id: 'T_LOCAL', name: 'Pantheon Local', domain: 'pantheon-local' },
  bot: {
    userId: 'U_PANTHEON',
    botId: 'B_PANTHEON',
    appId: 'A_PANTHEON',
    name: 'pantheon',
    realName: 'Pantheon',
  },
  users: [
    { id: 'U_ALICE', name: 'alice', realName: 'Alice Adams', email: 'alice@example.com', title: 'Engineer' },
    {
      id: 'U_BOB',
      name: 'bob',
      realName: 'Bob Brown',
      email: 'bob@example.com',
      title: 'Engineering Manager',
      isAdmin: true,
    },
    {
      id: 'U_CAROL',
      name: 'carol',
      realName: 'Carol Chen',
      email: 'carol@example.com',
      title: 'Finance Lead',
    },
  ],
  channels: [
    { id: 'C_GENERAL', name: 'general', isGeneral: true, purpose: 'Company-wide announcements' },
    { id: 'C_OPS', name: 'ops', purpose: 'Operations and requests to Pantheon' },
    {
      id: 'C_FINANCE',
      name: 'finance',
      purpose: 'Spend approvals',
      members: ['U_PANTHEON', 'U_BOB', 'U_CAROL'],
    },
  ],
  usergroups: [
    {
      id: 'S_APPROVERS',
      handle: 'approvers',
      name: 'Approvers',
      description: 'Can approve requests',
      users: ['U_BOB', 'U_CAROL'],
    },
    { id: 'S_FINANCE', handle: 'finance-team', name: 'Finance', users: ['U_CAROL'] },
  ],
};

/** Fills the gaps of a partial seed from the defaults; given lists replace the default lists whole. */
export function resolveSeed(partial: Partial<WorkspaceSeed> = {}): WorkspaceSeed {
  return structuredClone({ ...DEFAULT_WORKSPACE, ...partial });
}
