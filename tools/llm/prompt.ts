import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCode, PantheonError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { defaultLogger } from './logger';
import type { LlmMessage } from './models';

export type PromptRole = 'system' | 'user' | 'assistant';
export type PromptVariables = Readonly<Record<string, string | number | boolean>>;

export interface GenericPromptOptions {
  readonly role?: PromptRole;
  /** Names the prompt in errors and warnings; default the file name or "inline prompt". */
  readonly name?: string;
  /** Variables holding outside content (emails, pages): the message is marked untrusted and scanned. */
  readonly untrusted?: readonly string[];
  /** Unused variables are reported here as warnings (default: a plain pino logger). */
  readonly logger?: Pick<Logger, 'warn'>;
}

type Source = { readonly template: string } | { readonly file: string };

const variablePattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * A message template with `{{VARIABLE}}` slots, inline or from a file (read once, on first use).
 * Rendering fails on a missing variable, naming it, and warns about unused ones — a typo in
 * either place shows up at once instead of as a subtly wrong prompt.
 */
export class GenericPrompt {
  readonly role: PromptRole;
  readonly name: string;
  readonly #source: Source;
  readonly #options: GenericPromptOptions;
  #template: string | undefined;

  constructor(source: Source, options: GenericPromptOptions = {}) {
    this.#source = source;
    this.#options = options;
    this.role = options.role ?? 'user';
    this.name = options.name ?? ('file' in source ? source.file : 'inline prompt');
  }

  static inline(template: string, options?: GenericPromptOptions): GenericPrompt {
    return new GenericPrompt({ template }, options);
  }

  /** A template file, relative to the working directory unless absolute. */
  static file(path: string, options?: GenericPromptOptions): GenericPrompt {
    return new GenericPrompt({ file: path }, options);
  }

  get template(): string {
    if (this.#template === undefined) {
      if ('template' in this.#source) this.#template = this.#source.template;
      else {
        const path = resolve(this.#source.file);
        try {
          this.#template = readFileSync(path, 'utf8');
        } catch (error) {
          throw new PantheonError(
            ErrorCode.InvalidInput,
            `Prompt file ${path} cannot be read: ${(error as Error).message}`,
          );
        }
      }
    }
    return this.#template;
  }

  /** The variables the template uses, in order of first use. */
  variables(): string[] {
    return [...new Set(Array.from(this.template.matchAll(variablePattern), (m) => m[1]!))];
  }

  /** Fill the slots. Values are inserted verbatim: a `{{X}}` inside a value is not expanded again. */
  render(variables: PromptVariables = {}): LlmMessage {
    const needed = this.variables();
    const missing = needed.filter((name) => !Object.hasOwn(variables, name));
    if (missing.length > 0) {
      throw new PantheonError(
        ErrorCode.InvalidInput,
        `Prompt "${this.name}" needs variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (given: ${Object.keys(variables).join(', ') || 'none'})`,
        { prompt: this.name, missing },
      );
    }
    const unused = Object.keys(variables).filter((name) => !needed.includes(name));
    if (unused.length > 0) {
      (this.#options.logger ?? defaultLogger()).warn(
        { prompt: this.name, unused },
        `Prompt "${this.name}" does not use variable(s) ${unused.join(', ')}`,
      );
    }
    const content = this.template.replace(variablePattern, (_match, name: string) => String(variables[name]));
    const untrusted = (this.#options.untrusted ?? []).some((name) => needed.includes(name));
    return { role: this.role, content, ...(untrusted && { untrusted: true }) };
  }
}
