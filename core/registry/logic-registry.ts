import { ErrorCode, PantheonError } from '../errors';
import { closestNames } from '../suggest';
import type { LogicFunction } from '../workflow/logic';
import { assertUnique } from './unique';

/** A business-logic function as the catalogue holds it: its fully qualified name and its file. */
export interface RegisteredLogic {
  /** `<area>/logic/<file>.<name>` (core/workflow/logic.ts). */
  readonly fqn: string;
  /** Absolute path of the .ts file that exports it (the executor's thread imports it). */
  readonly file: string;
  readonly logic: LogicFunction;
  readonly location: string;
}

/** The business-logic functions the code executor may run and the Actions Hub lists, by name. */
export class LogicRegistry {
  readonly #functions = new Map<string, RegisteredLogic>();

  register(...functions: RegisteredLogic[]): this {
    for (const entry of functions) {
      assertUnique('business-logic function', this.#functions, entry.fqn, entry.location);
      this.#functions.set(entry.fqn, entry);
    }
    return this;
  }

  /** The function of that name, or an UnknownLogic error naming the closest ones. */
  get(fqn: string): RegisteredLogic {
    const found = this.#functions.get(fqn);
    if (found) return found;
    const suggestions = closestNames(fqn, [...this.#functions.keys()]);
    throw new PantheonError(
      ErrorCode.UnknownLogic,
      `Unknown business-logic function "${fqn}".${suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''} Names are <area>/logic/<file>.<name>: defineLogic({ name }) exported from workflows/<area>/logic/<file>.ts`,
      { suggestions },
    );
  }

  has(fqn: string): boolean {
    return this.#functions.has(fqn);
  }

  /** Sorted by name. */
  list(): RegisteredLogic[] {
    return [...this.#functions.values()].sort((a, b) => a.fqn.localeCompare(b.fqn));
  }
}
