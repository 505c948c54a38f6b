import { callerLocation } from '../workflow/location';

/**
 * A tool: a class with `initialize()` and the methods its activities call. What each action takes
 * and returns is said once, in the tool's specs.ts (zod, validated by the activity registry on
 * every call); the class holds only the behaviour. Config comes from the environment (the parsed
 * settings handed to the constructor) or a secret store — never from action inputs, which
 * Temporal stores in history.
 */
export abstract class Tool {
  abstract readonly name: string;
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
}
