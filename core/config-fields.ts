import { z } from 'zod';

/**
 * The field types every settings shape is built from (core/config.ts and each feature's
 * config.ts), defined once so `true`/`yes`/`1`, empty strings and numbers read the same everywhere.
 */
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const nonNegativeInt = z.coerce.number().int().nonnegative();
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** An unset or empty variable is absent. */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
