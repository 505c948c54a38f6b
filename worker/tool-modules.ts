import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isToolModule } from '../core/registry/tool-module';
import type { ToolModule } from '../core/registry/tool-module';

const toolsDir = join(import.meta.dirname, '..', 'tools');

/**
 * Every tool, found by folder: `tools/<name>/activities.ts` exporting `tool` (defineTool). Adding
 * a tool is adding its folder — no list to edit. A folder with activities.ts but no `tool` export
 * stops the worker with the fix named.
 */
export async function loadToolModules(dir: string = toolsDir): Promise<ToolModule[]> {
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'activities.ts')))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    folders.map(async (folder) => {
      const file = join(dir, folder, 'activities.ts');
      const loaded = (await import(pathToFileURL(file).href)) as { tool?: unknown };
      if (!isToolModule(loaded.tool))
        throw new Error(
          `tools/${folder}/activities.ts must export \`tool = defineTool({ name, specs, activities })\` (core/registry/tool-module.ts)`,
        );
      return loaded.tool;
    }),
  );
}
