import type { z } from 'zod';
import type { Logger } from '../../core/logger';
import { defaultLogger } from './logger';
import type { GenerateRequestInput, GenerateResult, LlmMessage } from './models';
import type { GenericPrompt, PromptVariables } from './prompt';
import type { CallOptions } from './router';
import type { StructuredOptions, StructuredResult } from './structured-output';

/** What a chain needs from the router (an interface, so tests and callers can stand in). */
export interface ChainRouter {
  generate(request: GenerateRequestInput, options?: CallOptions): Promise<GenerateResult>;
  generateStructured<S extends z.ZodType>(
    request: GenerateRequestInput,
    schema: S,
    options?: StructuredOptions,
    callOptions?: CallOptions,
  ): Promise<StructuredResult<z.output<S>>>;
}

export type ChainOutput<S> = S extends z.ZodType ? z.output<S> : string;

export interface ChainResult<S> {
  /** The parsed answer (response model) or the text. */
  readonly data: ChainOutput<S>;
  readonly result: GenerateResult;
}

export interface PromptChainOptions<S extends z.ZodType | undefined> {
  readonly name: string;
  readonly prompts: readonly GenericPrompt[];
  /** When set, the answer is structured output validated by this schema (with repair). */
  readonly responseModel?: S;
  /** Request settings (model alias, temperature, maxTokens, …) for every run. */
  readonly request?: Omit<GenerateRequestInput, 'messages' | 'responseFormat'>;
  readonly maxRepairs?: number;
  readonly logger?: Pick<Logger, 'warn'>;
}

/**
 * Prompts composed into one conversation (system, then user, …), optionally with a zod response
 * model. Each prompt gets only the variables it uses, so sharing one variable bag across prompts
 * does not warn; a variable no prompt uses does.
 */
export class PromptChain<S extends z.ZodType | undefined = undefined> {
  constructor(readonly options: PromptChainOptions<S>) {}

  /** A new chain with more prompts after these. */
  then(...prompts: GenericPrompt[]): PromptChain<S> {
    return new PromptChain({ ...this.options, prompts: [...this.options.prompts, ...prompts] });
  }

  /** A new chain whose answer is validated by `responseModel`. */
  returning<R extends z.ZodType>(responseModel: R): PromptChain<R> {
    return new PromptChain<R>({ ...this.options, responseModel });
  }

  messages(variables: PromptVariables = {}): LlmMessage[] {
    const used = new Set<string>();
    const messages = this.options.prompts.map((prompt) => {
      const needed = prompt.variables();
      needed.forEach((name) => used.add(name));
      return prompt.render(
        Object.fromEntries(needed.filter((n) => Object.hasOwn(variables, n)).map((n) => [n, variables[n]!])),
      );
    });
    const unused = Object.keys(variables).filter((name) => !used.has(name));
    if (unused.length > 0) {
      (this.options.logger ?? defaultLogger()).warn(
        { chain: this.options.name, unused },
        `Prompt chain "${this.options.name}" does not use variable(s) ${unused.join(', ')}`,
      );
    }
    return messages;
  }

  async run(
    router: ChainRouter,
    variables: PromptVariables = {},
    overrides: Omit<GenerateRequestInput, 'messages'> = {},
    callOptions?: CallOptions,
  ): Promise<ChainResult<S>> {
    const { responseModel, request, maxRepairs, name } = this.options;
    const input: GenerateRequestInput = {
      ...request,
      ...overrides,
      trace: { name, ...request?.trace, ...overrides.trace },
      messages: this.messages(variables),
    };
    if (responseModel) {
      const result = await router.generateStructured(
        input,
        responseModel,
        { name: schemaName(name), maxRepairs },
        callOptions,
      );
      return { data: result.data as ChainOutput<S>, result };
    }
    const result = await router.generate(input, callOptions);
    return { data: result.text as ChainOutput<S>, result };
  }
}

/** Tool / json_schema names allow letters, digits, _ and - only. */
function schemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64) || 'answer';
}
