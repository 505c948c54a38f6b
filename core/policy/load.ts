import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ErrorCode, PantheonError } from '../errors';
import { Policy } from './policy';
import { policySchema } from './schema';

/**
 * Loads the policy file. A missing file is an empty policy (nobody may run anything, nobody
 * approves) unless `required`; a malformed one fails with the path and the first bad field.
 */
export function loadPolicy(path: string | undefined, options: { required?: boolean } = {}): Policy {
  if (!path || !existsSync(path)) {
    if (options.required) {
      throw new PantheonError(
        ErrorCode.ConfigInvalid,
        `PANTHEON_POLICY_FILE: no policy file at ${path ?? '(unset)'}; copy policy.example.yaml and edit it`,
      );
    }
    return Policy.empty();
  }
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new PantheonError(
      ErrorCode.ConfigInvalid,
      `${path} is not valid YAML: ${(error as Error).message}`,
    );
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PantheonError(
      ErrorCode.ConfigInvalid,
      `${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    );
  }
  return new Policy(parsed.data);
}
