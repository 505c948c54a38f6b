import type { LlmConfig } from '../config';
import { GuardrailViolationError } from '../errors';
import type { GuardrailFlag, LlmMessage, PiiKind, ToolCall } from '../models';
import { detectInjection } from './injection';
import { checkOutput } from './output';
import { PiiVault, redactPii } from './pii';

export interface GuardrailSettings {
  readonly redact: ReadonlySet<PiiKind>;
  readonly restore: ReadonlySet<PiiKind>;
  readonly injectionPolicy: 'flag' | 'block';
  readonly blockedTerms: readonly string[];
  readonly maxOutputChars?: number;
}

export function guardrailSettings(config: LlmConfig): GuardrailSettings {
  return {
    redact: new Set(config.LLM_PII_REDACT),
    restore: new Set(config.LLM_PII_RESTORE),
    injectionPolicy: config.LLM_INJECTION_POLICY,
    blockedTerms: config.LLM_BLOCKED_TERMS,
    maxOutputChars: config.LLM_MAX_OUTPUT_CHARS,
  };
}

/** A request as it may leave: redacted, with the vault to map placeholders back and the flags raised. */
export interface GuardedInput<T> {
  readonly value: T;
  readonly vault: PiiVault;
  readonly flags: GuardrailFlag[];
}

/** What an answer looks like to the output checks. */
export interface Answer {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
}

/** The checks around every call: before (PII, injection) and after (restore, blocked terms, length). */
export class Guardrails {
  constructor(readonly settings: GuardrailSettings) {}

  /** Redact messages and scan untrusted ones; throws GuardrailViolationError when policy is block. */
  prepareMessages(
    messages: readonly LlmMessage[],
    options: { redactPii?: boolean } = {},
  ): GuardedInput<LlmMessage[]> {
    const vault = new PiiVault();
    const kinds = options.redactPii === false ? new Set<PiiKind>() : this.settings.redact;
    const redact = (text: string) => redactPii(text, kinds, vault);
    const value = messages.map((message): LlmMessage => {
      if (message.role === 'assistant' && message.toolCalls?.length) {
        // Earlier answers may hold restored values; they are redacted again on the way out.
        const toolCalls = message.toolCalls.map((call) => ({ ...call, arguments: redact(call.arguments) }));
        return { ...message, content: redact(message.content), toolCalls };
      }
      return { ...message, content: redact(message.content) };
    });
    // Scan the redacted text so excerpts in flags (and traces) carry no PII.
    const flags = this.#flags(
      value.map((m) => (m.untrusted ? m.content : undefined)),
      vault,
    );
    return { value, vault, flags };
  }

  /** Embedding inputs: redacted like messages, nothing to restore. */
  prepareTexts(texts: readonly string[], options: { redactPii?: boolean } = {}): GuardedInput<string[]> {
    const vault = new PiiVault();
    const kinds = options.redactPii === false ? new Set<PiiKind>() : this.settings.redact;
    const value = texts.map((text) => redactPii(text, kinds, vault));
    return { value, vault, flags: this.#flags([], vault) };
  }

  /** Map placeholders back (safe kinds only), then check the answer. Throws GuardrailViolationError. */
  finish(answer: Answer, vault: PiiVault, options: { maxOutputChars?: number } = {}): Answer {
    const restore = (text: string) => vault.restore(text, this.settings.restore);
    const restored: Answer = {
      text: restore(answer.text),
      toolCalls: answer.toolCalls.map((call) => ({ ...call, arguments: restore(call.arguments) })),
    };
    const violations = checkOutput(restored.text, {
      blockedTerms: this.settings.blockedTerms,
      maxChars: options.maxOutputChars ?? this.settings.maxOutputChars,
    });
    for (const call of restored.toolCalls) {
      violations.push(
        ...checkOutput(call.arguments, { blockedTerms: this.settings.blockedTerms }).map(
          (v) => `tool call ${call.name} ${v}`,
        ),
      );
    }
    if (violations.length > 0) throw new GuardrailViolationError(violations.map((v) => `the answer ${v}`));
    return restored;
  }

  #flags(untrusted: readonly (string | undefined)[], vault: PiiVault): GuardrailFlag[] {
    const flags: GuardrailFlag[] = [];
    untrusted.forEach((text, messageIndex) => {
      if (text === undefined) return;
      for (const { rule, excerpt } of detectInjection(text))
        flags.push({ type: 'prompt_injection', rule, messageIndex, excerpt });
    });
    if (vault.size > 0) flags.push({ type: 'pii_redacted', counts: vault.counts() });
    const injections = flags.filter((f) => f.type === 'prompt_injection');
    if (this.settings.injectionPolicy === 'block' && injections.length > 0) {
      throw new GuardrailViolationError(
        injections.map(
          (f) => `message ${f.messageIndex} looks like prompt injection (${f.rule}): "${f.excerpt}"`,
        ),
      );
    }
    return flags;
  }
}
