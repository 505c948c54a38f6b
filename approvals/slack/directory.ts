import type { WebClient } from '@slack/web-api';

/** The Slack reads approvals need (writes go through Delivery): who is in a user group, and their address. */
export interface SlackDirectory {
  usergroupMembers(groupId: string): Promise<string[]>;
  /** A user's address (to keep a requester from approving by email too); undefined if unknown. */
  userEmail?(userId: string): Promise<string | undefined>;
}

export function webClientDirectory(client: WebClient): SlackDirectory {
  return {
    async usergroupMembers(groupId) {
      const result = await client.usergroups.users.list({ usergroup: groupId });
      return result.users ?? [];
    },
    async userEmail(userId) {
      const result = await client.users.info({ user: userId });
      return result.user?.profile?.email;
    },
  };
}
