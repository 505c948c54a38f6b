import type { WebClient } from '@slack/web-api';

/** The Slack reads approvals need (writes go through Delivery): who is in a user group. */
export interface SlackDirectory {
  usergroupMembers(groupId: string): Promise<string[]>;
}

export function webClientDirectory(client: WebClient): SlackDirectory {
  return {
    async usergroupMembers(groupId) {
      const result = await client.usergroups.users.list({ usergroup: groupId });
      return result.users ?? [];
    },
  };
}
