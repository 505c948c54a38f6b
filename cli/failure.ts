import { ApplicationFailure, TemporalFailure } from '@temporalio/common';

/** The innermost cause of a workflow failure, as `Type: message` for people. */
export function describeFailure(error: unknown): { type: string; message: string } {
  let current: unknown = error;
  let best: { type: string; message: string } = { type: 'Error', message: String(error) };
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure)
      best = { type: current.type ?? 'Error', message: current.message };
    else if (current instanceof TemporalFailure) best = { type: current.name, message: current.message };
    else best = { type: current.name, message: current.message };
    current = current.cause;
  }
  return best;
}
