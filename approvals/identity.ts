/**
 * Who decided, as one string across channels: `slack:U123`, `email:a@example.com`, `cli:alice`.
 * Emails are lower-cased so a reply's From matches however the address was typed.
 */
export const slackIdentity = (userId: string): string => `slack:${userId}`;
export const emailIdentity = (address: string): string => `email:${address.trim().toLowerCase()}`;
export const cliIdentity = (operator: string): string => `cli:${operator}`;

/** How a person reads an identity: a Slack mention, an address, or `operator (CLI)`. */
export function mentionOf(identity: string): string {
  const [kind, ...rest] = identity.split(':');
  const value = rest.join(':');
  if (kind === 'slack') return `<@${value}>`;
  if (kind === 'cli') return `${value} (CLI)`;
  if (kind === 'email') return value;
  return identity;
}

/** Plain-text form of an identity (for email pages): no Slack markup. */
export function plainNameOf(identity: string): string {
  const [kind, ...rest] = identity.split(':');
  const value = rest.join(':');
  if (kind === 'cli') return `${value} (CLI)`;
  if (kind === 'slack') return `Slack user ${value}`;
  return value || identity;
}
