import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LogicRegistry } from '../core/registry/logic-registry';
import type { RegisteredLogic } from '../core/registry/logic-registry';
import { isLogicFunction, logicFqn } from '../core/workflow/logic';

const workflowsDir = join(import.meta.dirname, '..', 'workflows');
const kebab = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The business-logic catalogue, derived from the files like the workflow catalogue
 * (config/workflows.ts): every `workflows/<area>/logic/<file>.ts` and each `defineLogic` it
 * exports. A new function is an export in such a file — no list to edit. The workflow catalogue
 * reads only `workflows/*.ts`, so these folders are not workflows.
 */
export function logicFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'logic')))
    .flatMap((area) =>
      readdirSync(join(dir, area.name, 'logic'))
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .map((file) => join(dir, area.name, 'logic', file)),
    )
    .sort();
}

/** The functions `file` (workflows/<area>/logic/<file>.ts) exports, with their full names. */
export async function logicIn(file: string): Promise<RegisteredLogic[]> {
  const area = basename(join(file, '..', '..'));
  const stem = basename(file, '.ts');
  for (const [what, part] of [
    ['folder', area],
    ['file', stem],
  ])
    if (!kebab.test(part!))
      throw new Error(`${file}: the ${what} name "${part}" must be kebab-case (a-z, 0-9, -)`);
  const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  return Object.entries(exports)
    .filter((entry): entry is [string, RegisteredLogic['logic']] => isLogicFunction(entry[1]))
    .map(([exported, logic]) => {
      if (exported !== logic.name)
        throw new Error(
          `${file} exports defineLogic({ name: '${logic.name}' }) as "${exported}": export it under its name (export const ${logic.name} = defineLogic(...))`,
        );
      return { fqn: logicFqn(area, stem, logic.name), file, logic, location: logic.location };
    });
}

/** Every business-logic function under `dir` (default: the repository's workflows/). */
export async function loadLogic(dir: string = workflowsDir): Promise<RegisteredLogic[]> {
  return (await Promise.all(logicFilesIn(dir).map(logicIn))).flat();
}

export async function createLogicRegistry(dir: string = workflowsDir): Promise<LogicRegistry> {
  return new LogicRegistry().register(...(await loadLogic(dir)));
}
