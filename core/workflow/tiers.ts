/** Worker tiers: each polls its own task queue, `<prefix>-<tier>`. */
export const tiers = ['light', 'llm', 'heavy'] as const;
export type Tier = (typeof tiers)[number];

export function isTier(value: string): value is Tier {
  return (tiers as readonly string[]).includes(value);
}
