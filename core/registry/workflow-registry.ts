import { ErrorCode, PantheonError } from '../errors';
import { closestNames } from '../suggest';
import { parseOrThrow } from '../validation';
import { assertUnique } from './unique';
import type { WorkflowDefinition } from '../workflow/workflow-definition';

/** The catalogue of workflows that `/pantheon list`, the CLI and the Actions Hub read. */
export class WorkflowRegistry {
  readonly #workflows = new Map<string, WorkflowDefinition>();

  register(...definitions: WorkflowDefinition[]): this {
    for (const definition of definitions) {
      assertUnique('workflow', this.#workflows, definition.name, definition.location);
      this.#workflows.set(definition.name, definition);
    }
    return this;
  }

  get(name: string): WorkflowDefinition {
    const found = this.#workflows.get(name);
    if (found) return found;
    const close = closestNames(name, [...this.#workflows.keys()]);
    throw new PantheonError(
      ErrorCode.UnknownWorkflow,
      `Unknown workflow "${name}".${close.length ? ` Did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : ''}`,
      { suggestions: close },
    );
  }

  has(name: string): boolean {
    return this.#workflows.has(name);
  }

  /** Workflows having at least one of `labels` (all when none given), sorted by name. */
  list(filter: { labels?: readonly string[] } = {}): WorkflowDefinition[] {
    return [...this.#workflows.values()]
      .filter((w) => !filter.labels?.length || filter.labels.some((label) => w.labels.includes(label)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Validated input for a workflow, or a PantheonError listing each bad field. */
  parseInput(name: string, input: unknown): unknown {
    return parseOrThrow(this.get(name).input, input, `input for ${name}`);
  }
}
