import type { z } from 'zod';
import { ErrorCode, PantheonError } from '../errors';
import { closestNames } from '../suggest';
import { parseOrThrow } from '../validation';
import { callerLocation } from '../workflow/location';

/** One named thing a tool can do, with its schemas. */
export interface ToolAction<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly run: (input: z.output<I>) => Promise<z.input<O>>;
}

export function toolAction<I extends z.ZodType, O extends z.ZodType>(
  action: ToolAction<I, O>,
): ToolAction<I, O> {
  return action;
}

/**
 * A tool: a class with `initialize()` and named actions. Config comes from the environment (the
 * parsed Config handed to the constructor) or a secret store — never from action inputs, which
 * Temporal stores in history.
 */
export abstract class Tool {
  abstract readonly name: string;
  abstract readonly description: string;
  abstract readonly actions: Readonly<Record<string, ToolAction>>;
  readonly location = callerLocation(4);
  #ready: Promise<void> | undefined;

  /** Open clients, check credentials. Called once, lazily, before the first action. */
  protected async initialize(): Promise<void> {}

  /** Idempotent: concurrent callers share one initialization; a failed one is retried next time. */
  ready(): Promise<void> {
    this.#ready ??= this.initialize().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** Wraps an action for an activity: the tool is initialized (once) before the first call. */
  whenReady<I, O>(run: (input: I) => Promise<O>): (input: I) => Promise<O> {
    return async (input) => {
      await this.ready();
      return run(input);
    };
  }

  async run(actionName: string, input: unknown): Promise<unknown> {
    const action = this.actions[actionName];
    if (!action) {
      const known = Object.keys(this.actions);
      throw new PantheonError(
        ErrorCode.UnknownAction,
        `Tool "${this.name}" has no action "${actionName}". Known: ${known.join(', ')}`,
        { known },
      );
    }
    await this.ready();
    const parsed: unknown = parseOrThrow(action.input, input, `input for ${this.name}.${actionName}`);
    const output = await action.run(parsed);
    return parseOrThrow(
      action.output,
      output,
      `output of ${this.name}.${actionName}`,
      ErrorCode.InvalidOutput,
    );
  }
}

export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  register(...tools: Tool[]): this {
    for (const tool of tools) {
      const previous = this.#tools.get(tool.name);
      if (previous) {
        throw new PantheonError(
          ErrorCode.DuplicateRegistration,
          `The tool "${tool.name}" is registered twice: first at ${previous.location}, again at ${tool.location}`,
        );
      }
      this.#tools.set(tool.name, tool);
    }
    return this;
  }

  /** The tool, initialized. */
  async get<T extends Tool = Tool>(name: string): Promise<T> {
    const tool = this.#tools.get(name);
    if (!tool) {
      const close = closestNames(name, [...this.#tools.keys()]);
      throw new PantheonError(
        ErrorCode.UnknownTool,
        `Unknown tool "${name}".${close.length ? ` Did you mean ${close.join(', ')}?` : ''}`,
      );
    }
    await tool.ready();
    return tool as T;
  }

  list(): { name: string; description: string; actions: { name: string; description: string }[] }[] {
    return [...this.#tools.values()].map((tool) => ({
      name: tool.name,
      description: tool.description,
      actions: Object.entries(tool.actions).map(([name, action]) => ({
        name,
        description: action.description,
      })),
    }));
  }
}
