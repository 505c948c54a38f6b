import type { WebClient } from '@slack/web-api';
import type { PeopleLookups } from './access';

/** What `users.info` says about a person that access decisions need. */
export interface SlackPerson {
  readonly team?: string;
  readonly enterprise?: string;
  readonly guest: boolean;
  readonly email?: string;
}

/** People lookups plus `users.info`, each answer cached for `cacheMs`. */
export interface SlackLookups extends PeopleLookups {
  person(user: string): Promise<SlackPerson | undefined>;
}

/**
 * Slack reads for access checks, cached briefly. A failed read is not cached and answers "nobody"
 * / "unknown", so a Slack outage denies instead of allowing.
 */
export function slackLookups(
  client: WebClient | undefined,
  cacheMs: number,
  onError: (what: string, error: unknown) => void = () => undefined,
): SlackLookups {
  const cache = new Map<string, { value: Promise<unknown>; until: number }>();
  function cached<T>(key: string, read: () => Promise<T>, fallback: T): Promise<T> {
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value as Promise<T>;
    const value = read().catch((error: unknown) => {
      cache.delete(key); // ask again next time
      onError(key, error);
      return fallback;
    });
    cache.set(key, { value, until: Date.now() + cacheMs });
    return value;
  }
  const person = (user: string) =>
    cached<SlackPerson | undefined>(
      `user:${user}`,
      async () => {
        if (!client) return undefined;
        const info = (await client.users.info({ user })).user;
        if (!info) return undefined;
        return {
          ...(info.team_id ? { team: info.team_id } : {}),
          ...(info.enterprise_user?.enterprise_id ? { enterprise: info.enterprise_user.enterprise_id } : {}),
          guest: Boolean(info.is_restricted || info.is_ultra_restricted),
          ...(info.profile?.email ? { email: info.profile.email.toLowerCase() } : {}),
        };
      },
      undefined,
    );
  return {
    person,
    groupMembers: (group) =>
      cached<ReadonlySet<string>>(
        `group:${group}`,
        async () =>
          new Set(client ? ((await client.usergroups.users.list({ usergroup: group })).users ?? []) : []),
        new Set(),
      ),
    emailOf: async (user) => (await person(user))?.email,
  };
}
