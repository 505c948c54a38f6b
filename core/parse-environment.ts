import type { z } from 'zod';
import { ErrorCode, PantheonError } from './errors';

/**
 * Parses the keys of `shape` from the environment with `schema` (the shape, maybe refined).
 * Empty strings count as unset. Throws one line naming the first bad variable and what it expects
 * (its description), so every subsystem's settings fail the same readable way.
 */
export function parseEnvironment<S extends z.ZodType>(
  shape: Readonly<Record<string, z.ZodType>>,
  schema: S,
  env: NodeJS.ProcessEnv,
): z.output<S> {
  const input = Object.fromEntries(
    Object.keys(shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0]);
  const expected = shape[key]?.description ?? issue.message;
  // Never echo what may be a secret (keys, tokens, URLs with passwords) into logs or terminals.
  const secret = /KEY|TOKEN|SECRET|PASSWORD|_URL$/.test(key) && !/_UI_URL$|PUBLIC_URL$/.test(key);
  const got =
    env[key] === undefined
      ? 'it is not set'
      : secret
        ? 'got an invalid value'
        : `got ${JSON.stringify(env[key])}`;
  const why = issue.code === 'custom' && issue.message !== 'Invalid input' ? ` — ${issue.message}` : '';
  throw new PantheonError(ErrorCode.ConfigInvalid, `${key} must be ${expected} (${got})${why}`);
}
