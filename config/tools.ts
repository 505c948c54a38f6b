import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActivitySpec } from '../core/workflow/activity-spec';

export interface ToolListing {
  readonly tool: string;
  readonly activities: readonly ActivitySpec[];
}

const toolsDir = join(import.meta.dirname, '..', 'tools');

const isSpec = (value: unknown): value is ActivitySpec =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'activity';

/**
 * The tool catalogue as people read it (`/pantheon help tools`): every `tools/<name>/specs.ts`'s
 * activity specs, found by folder like the worker finds the tools. Specs are zod only, so this
 * loads no client library.
 */
export async function toolCatalogueIn(dir: string): Promise<ToolListing[]> {
  const listings: ToolListing[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'specs.ts');
    if (!existsSync(file)) continue;
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const specs = new Map<string, ActivitySpec>();
    for (const value of Object.values(exports).flatMap((v): unknown[] => (Array.isArray(v) ? v : [v])))
      if (isSpec(value)) specs.set(value.name, value);
    if (specs.size > 0)
      listings.push({
        tool: name,
        activities: [...specs.values()].sort((a, b) => a.name.localeCompare(b.name)),
      });
  }
  return listings;
}

let catalogue: Promise<ToolListing[]> | undefined;

/** This repository's tools (read once). */
export function toolCatalogue(): Promise<ToolListing[]> {
  catalogue ??= toolCatalogueIn(toolsDir);
  return catalogue;
}
