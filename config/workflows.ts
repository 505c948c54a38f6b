import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkflowRegistry } from '../core/registry/workflow-registry';
import type { WorkflowDefinition } from '../core/workflow/workflow-definition';

/**
 * The workflow catalogue, derived from the files: every `workflows/<name>.ts` exports its
 * definition (`defineWorkflow`) and its function (named by the definition's `workflowType`). A new
 * workflow is one file; the bot, CLI, worker and Actions Hub read this list, and the worker's
 * bundle entry (worker/paths.ts) is made from the same files. It reads the folder, so it lives
 * here with the apps' other assembly (config/), outside the deterministic workflows/ folder.
 */
export function workflowFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .sort()
    .map((file) => join(dir, file));
}

const workflowsDir = join(import.meta.dirname, '..', 'workflows');

export const workflowFiles: readonly string[] = workflowFilesIn(workflowsDir);

const isDefinition = (value: unknown): value is WorkflowDefinition =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'workflow';

export async function definitionsIn(file: string): Promise<WorkflowDefinition[]> {
  const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const definitions = Object.values(exports).filter(isDefinition);
  for (const definition of definitions)
    if (typeof exports[definition.workflowType] !== 'function')
      throw new Error(
        `${file} defines workflow "${definition.name}" but exports no function ${definition.workflowType}`,
      );
  return definitions;
}

/** Every registered workflow definition, in file order. */
export const workflowDefinitions: readonly WorkflowDefinition[] = (
  await Promise.all(workflowFiles.map(definitionsIn))
).flat();

export function createWorkflowRegistry(): WorkflowRegistry {
  return new WorkflowRegistry().register(...workflowDefinitions);
}
