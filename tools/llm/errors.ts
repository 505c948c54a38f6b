import { ApplicationFailure } from '@temporalio/common';
import { ErrorCode, PantheonError } from '../../core/errors';
import type { Attempt, ProviderName } from './models';

/**
 * Error codes of the LLM tool (they live in core's ErrorCode). Like core's, they become the
 * Temporal failure `type`, so a workflow can branch on them: LlmUnavailable (every model in the
 * fallback chain failed; retryable later), LlmOutputInvalid (structured output still invalid after
 * the repair rounds), GuardrailViolation (blocked term, over-long answer, blocked injection).
 */
export const LlmErrorCode = {
  LlmUnavailable: ErrorCode.LlmUnavailable,
  LlmOutputInvalid: ErrorCode.LlmOutputInvalid,
  GuardrailViolation: ErrorCode.GuardrailViolation,
} as const;
export type LlmErrorCode = (typeof LlmErrorCode)[keyof typeof LlmErrorCode];

export class LlmError extends PantheonError {
  constructor(code: LlmErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** Every model failed; the message names each provider/model tried and why. */
export class LlmUnavailableError extends LlmError {
  constructor(
    readonly requested: string,
    readonly attempts: readonly Attempt[],
  ) {
    super(
      LlmErrorCode.LlmUnavailable,
      `No model could answer "${requested}": ${describeAttempts(attempts)}`,
      {
        requested,
        attempts,
      },
    );
  }
}

export class LlmOutputInvalidError extends LlmError {
  constructor(
    readonly schemaName: string,
    readonly problems: readonly string[],
    readonly rounds: number,
    readonly lastOutput: string,
  ) {
    super(
      LlmErrorCode.LlmOutputInvalid,
      `The answer did not match "${schemaName}" after ${rounds} attempt(s): ${problems.join('; ')}`,
      { schemaName, problems, rounds, lastOutput: lastOutput.slice(0, 2000) },
    );
  }
}

export class GuardrailViolationError extends LlmError {
  constructor(readonly violations: readonly string[]) {
    super(LlmErrorCode.GuardrailViolation, `Guardrail violated: ${violations.join('; ')}`, { violations });
  }
}

/** The environment variable each provider needs before it can be called. */
export const providerEnv: Readonly<Record<ProviderName, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_BASE_URL',
  mistral: 'MISTRAL_API_KEY',
};

/** "openai/gpt-4o → 429 rate_limit ×3 (Retry-After 2000 ms); anthropic/claude-sonnet-4-5 → timeout". */
export function describeAttempts(attempts: readonly Attempt[]): string {
  const groups: { key: string; attempt: Attempt; count: number }[] = [];
  for (const attempt of attempts) {
    const key = `${attempt.provider}/${attempt.providerModel}|${attempt.failure}|${attempt.status}`;
    const last = groups.at(-1);
    if (last?.key === key) {
      last.count++;
      last.attempt = attempt;
    } else groups.push({ key, attempt, count: 1 });
  }
  return groups
    .map(({ attempt, count }) => {
      const what = attempt.ok
        ? 'ok'
        : [attempt.status, attempt.failure].filter((x) => x !== undefined).join(' ');
      const times = count > 1 ? ` ×${count}` : '';
      const wait = attempt.retryAfterMs !== undefined ? `, Retry-After ${attempt.retryAfterMs} ms` : '';
      const message = attempt.message ? ` (${attempt.message}${wait})` : wait ? ` (${wait.slice(2)})` : '';
      return `${attempt.provider}/${attempt.providerModel} → ${what}${times}${message}`;
    })
    .join('; ');
}

/**
 * A PantheonError as the Temporal failure it should be: its code as the failure `type`, so the
 * activity's retry policy (`nonRetryableErrorTypes`) and the workflow can act on it. Thrown as is,
 * Temporal would name it after its class ("PantheonError") and retry a missing key five times.
 */
export function toActivityFailure(error: unknown): unknown {
  if (!(error instanceof PantheonError)) return error;
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    ...(error.details !== undefined && { details: [error.details] }),
  });
}
