/**
 * Where a `define*` call was made, for "registered twice" errors that name both places.
 * Workflow-safe: it only reads an Error's stack.
 */
export function callerLocation(depth = 3): string {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  const isRegistryCode = (line: string) => /\/core\/registry\/[\w-]+\.ts:/.test(line);
  const frame =
    lines.find((line, index) => index >= depth - 1 && !isRegistryCode(line)) ?? lines[depth - 1] ?? '';
  const match = /\(?((?:file:\/\/)?[^\s()]+:\d+:\d+)\)?\s*$/.exec(frame);
  return match?.[1]?.replace(/^file:\/\//, '') ?? 'unknown location';
}
