/**
 * The innermost typed cause of a failure as `{ type, message }` (an ActivityFailure wraps the activity's
 * ApplicationFailure, which says what went wrong). Workflow-safe: duck-typed, no `instanceof`.
 */
export function failureSummary(error: unknown): { type: string; message: string } {
  let typed: { type: string; message: string } | undefined;
  let innermost = { type: 'Error', message: String(error) };
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const type = (current as { type?: unknown }).type;
    innermost = { type: current.name, message: current.message };
    // The deepest failure that says what it is (an activity's ApplicationFailure carries its
    // code; the plain error it wraps, e.g. our PantheonError on the worker, arrives untyped).
    if (typeof type === 'string' && type !== '') typed = { type, message: current.message };
  }
  return typed ?? innermost;
}
