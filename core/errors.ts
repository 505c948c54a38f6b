/**
 * Error codes shared by every process. Temporal failures carry the same strings as their `type`,
 * so a workflow can branch on `failure.type` without `instanceof` across the sandbox.
 */
export const ErrorCode = {
  ConfigInvalid: 'ConfigInvalid',
  DuplicateRegistration: 'DuplicateRegistration',
  UnknownActivity: 'UnknownActivity',
  UnknownWorkflow: 'UnknownWorkflow',
  UnknownAction: 'UnknownAction',
  UnknownTool: 'UnknownTool',
  UnknownLogic: 'UnknownLogic',
  InvalidInput: 'InvalidInput',
  InvalidOutput: 'InvalidOutput',
  NotAllowed: 'NotAllowed',
  DecryptionFailed: 'DecryptionFailed',
  LlmUnavailable: 'LlmUnavailable',
  LlmOutputInvalid: 'LlmOutputInvalid',
  GuardrailViolation: 'GuardrailViolation',
  DeliveryFailed: 'DeliveryFailed',
  DeliveryTimeout: 'DeliveryTimeout',
  BudgetExceeded: 'BudgetExceeded',
  BlobNotFound: 'BlobNotFound',
  BlobTooLarge: 'BlobTooLarge',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class PantheonError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = code;
  }
}
