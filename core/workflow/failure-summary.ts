/**
 * The innermost cause of a failure as `{ type, message }` (an ActivityFailure wraps the activity's
 * ApplicationFailure, which says what went wrong). Workflow-safe: duck-typed, no `instanceof`.
 */
export function failureSummary(error: unknown): { type: string; message: string } {
  let best = { type: 'Error', message: String(error) };
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const type = (current as { type?: unknown }).type;
    best = { type: typeof type === 'string' && type !== '' ? type : current.name, message: current.message };
  }
  return best;
}
