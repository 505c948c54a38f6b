import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadToolModules } from './tool-modules';

const core = join(import.meta.dirname, '..', 'core');

/** A tools/ folder with the given tools, each a folder with an activities.ts. */
function toolsDir(tools: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pantheon-tools-'));
  for (const [name, source] of Object.entries(tools)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'activities.ts'), source);
  }
  mkdirSync(join(dir, 'no-activities')); // a folder without activities.ts is not a tool
  return dir;
}

const echoTool = `
import { z } from 'zod';
import { defineActivity } from ${JSON.stringify(join(core, 'workflow', 'activity-spec.ts'))};
import { implementActivity } from ${JSON.stringify(join(core, 'registry', 'activity-registry.ts'))};
import { defineTool } from ${JSON.stringify(join(core, 'registry', 'tool-module.ts'))};
const echo = defineActivity({ name: 'echo.say', description: 'Say it back', tier: 'light', input: z.object({ text: z.string() }), output: z.object({ text: z.string() }) });
export const tool = defineTool({ name: 'echo', specs: [echo], activities: () => [implementActivity(echo, async (input) => input)] });
`;

describe('tools found by folder', () => {
  it('loads every tools/<name>/activities.ts that exports a tool: a new tool needs no list edit', async () => {
    const tools = await loadToolModules(toolsDir({ echo: echoTool }));
    expect(tools.map((t) => [t.name, t.specs.map((s) => s.name)])).toEqual([['echo', ['echo.say']]]);
  });

  it('stops with the fix named when activities.ts exports no tool', async () => {
    await expect(loadToolModules(toolsDir({ broken: 'export const nothing = 1;\n' }))).rejects.toThrow(
      'tools/broken/activities.ts must export `tool = defineTool({ name, specs, activities })`',
    );
  });

  // Imports every tool with its client libraries: seconds on a busy machine.
  it('finds the repository’s own tools', { timeout: 30_000 }, async () => {
    expect((await loadToolModules()).map((t) => t.name)).toEqual([
      'actions',
      'code-executor',
      'documents',
      'invoices',
      'llm',
      'postgres',
      'repository',
      'slack',
    ]);
  });
});
