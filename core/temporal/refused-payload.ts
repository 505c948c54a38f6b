/**
 * The value a payload becomes when the codec refuses it (plaintext while encryption is on). It is
 * deliberately not a valid input to any schema: a workflow, update validator or activity that
 * reads it rejects it as malformed, and `isRefusedPayload` lets a handler say why. Workflow-safe.
 */
export const REFUSED_PLAINTEXT_REASON = 'an unencrypted payload while PAYLOAD_ENCRYPTION_KEYS is set';

export class RefusedPayload {
  readonly refused: string;
  constructor(reason: string) {
    this.refused = reason;
    Object.freeze(this);
  }
}

export function isRefusedPayload(value: unknown): value is RefusedPayload {
  return value instanceof RefusedPayload;
}
