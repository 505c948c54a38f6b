import { z } from 'zod';
import type { Usage } from '../models';

/** USD per million tokens. Workflow-safe (pure), so workflows can estimate costs too. */
export const priceSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative().default(0),
});
export type Price = z.output<typeof priceSchema>;
export type PriceTable = Readonly<Record<string, Price>>;

/**
 * List prices of common models (public price pages, late 2026) — check them against your
 * contract and override or extend with LLM_PRICES.
 */
export const defaultPrices: PriceTable = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-5.4': { input: 2.5, output: 15 },
  'gpt-5.4-mini': { input: 0.75, output: 4.5 },
  'gpt-5.4-nano': { input: 0.2, output: 1.25 },
  'gpt-5.5': { input: 5, output: 30 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'claude-opus-5-5': { input: 4, output: 20 },
  'claude-opus-5': { input: 5, output: 25 },
  'claude-opus-4-8': { input: 5, output: 25 },
  'claude-opus-4-7': { input: 5, output: 25 },
  'claude-opus-4-6': { input: 5, output: 25 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-sonnet-5-5': { input: 2, output: 10 },
  'claude-sonnet-5': { input: 2, output: 10 },
  'claude-sonnet-4-6': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'mistral-embed': { input: 0.1, output: 0 },
};

/**
 * The price of a model: exact id first, else the longest table key that prefixes it, so dated
 * snapshots (gpt-4o-2024-08-06, claude-sonnet-4-5-20250929) find their family.
 */
export function priceOf(model: string, table: PriceTable = defaultPrices): Price | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.startsWith(`${key}-`) && (!best || key.length > best.length)) best = key;
  }
  return best ? table[best] : undefined;
}

/** Cost of one call in USD; 0 for unknown models (the caller logs those). */
export function costOf(
  model: string,
  usage: Pick<Usage, 'inputTokens' | 'outputTokens'>,
  table?: PriceTable,
): number {
  const price = priceOf(model, table);
  if (!price) return 0;
  return roundUsd((usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000);
}

/** Twelve decimals: below any real price, above float noise. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e12) / 1e12;
}
