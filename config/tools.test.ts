import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolCatalogue, toolCatalogueIn } from './tools';

describe('the tool catalogue', () => {
  it('lists every tool folder with specs, and each activity once', async () => {
    const listings = await toolCatalogue();
    const names = Object.fromEntries(listings.map((l) => [l.tool, l.activities.map((a) => a.name)]));
    expect(names.repository).toEqual([
      'repository.insert',
      'repository.putFile',
      'repository.query',
      'repository.update',
    ]);
    expect(names.postgres).toEqual(['postgres.execute', 'postgres.query']);
    expect(names['code-executor']).toEqual(['code.execute']);
    for (const listing of listings)
      expect(new Set(listing.activities.map((a) => a.name)).size).toBe(listing.activities.length);
  });

  it('finds a new tool by its folder, and skips folders without specs', async () => {
    const dir = mkdtempSync(join(import.meta.dirname, '..', 'node_modules', '.cache', 'tools-'));
    mkdirSync(join(dir, 'weather'));
    mkdirSync(join(dir, 'notes'));
    writeFileSync(
      join(dir, 'weather', 'specs.ts'),
      `import { z } from 'zod';
import { defineActivity } from '${join(import.meta.dirname, '..', 'core', 'workflow', 'activity-spec.ts')}';
export const forecast = defineActivity({ name: 'weather.forecast', description: 'Tomorrow', tier: 'light', input: z.object({}), output: z.object({}) });
export const weatherSpecs = [forecast];
`,
    );
    const listings = await toolCatalogueIn(dir);
    expect(listings.map((l) => [l.tool, l.activities.map((a) => a.name)])).toEqual([
      ['weather', ['weather.forecast']],
    ]);
  });
});
