import { SlackApiError, missingArgument } from './api-error';

/**
 * Typed access to Web API arguments. Form-encoded clients (like @slack/web-api) send everything as
 * strings with objects JSON-encoded; JSON clients send real values. Both read the same through here.
 */
export class Args {
  constructor(readonly raw: Readonly<Record<string, unknown>>) {}

  has(name: string): boolean {
    const value = this.raw[name];
    return value !== undefined && value !== null && value !== '';
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return undefined;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw missingArgument(name);
    return value;
  }

  bool(name: string): boolean {
    const value = this.raw[name];
    return value === true || value === 'true' || value === '1' || value === 1;
  }

  int(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined || value === '') return undefined;
    const parsed = Number.parseInt(value, 10);
    if (Number.isNaN(parsed))
      throw new SlackApiError('invalid_arguments', [`[ERROR] ${name} must be an integer`]);
    return parsed;
  }

  /** A JSON field: parsed when it arrived as a string. Unparseable JSON fails with `errorCode`. */
  json(name: string, errorCode = 'invalid_arguments'): unknown {
    const value = this.raw[name];
    if (typeof value !== 'string') return value ?? undefined;
    if (value === '') return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new SlackApiError(errorCode, [`[ERROR] ${name} is not valid JSON`]);
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
