import { createHash } from 'node:crypto';

/** Canonical JSON (sorted keys), so the same arguments always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Binds a request to the exact side effect it approves: a decision for other arguments is void. */
export function actionHash(action: { name: string; args: Record<string, unknown> }): string {
  return createHash('sha256')
    .update(canonical({ name: action.name, args: action.args }))
    .digest('base64url');
}
