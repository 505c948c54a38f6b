import type { z } from 'zod';
import { ErrorCode, PantheonError } from './errors';

/** One line per bad field: `amount: expected number, received string`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(input)';
    return `${field}: ${issue.message}`;
  });
}

/** Parse with a schema or throw a PantheonError listing every bad field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  code: ErrorCode = ErrorCode.InvalidInput,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = describeIssues(result.error);
  throw new PantheonError(code, `Invalid ${what}: ${problems.join('; ')}`, { problems });
}
