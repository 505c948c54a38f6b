import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeField, schemaFields } from './schema-fields';

describe('schemaFields', () => {
  it('describes types, defaults, options and requiredness', () => {
    const fields = schemaFields(
      z.object({
        vendor: z.string().describe('vendor name'),
        amount: z.number().int(),
        currency: z.enum(['USD', 'EUR']).default('USD'),
        tags: z.array(z.number()).optional(),
      }),
    );
    expect(fields.map(describeField)).toEqual([
      'vendor (string, required): vendor name',
      'amount (integer, required)',
      'currency (USD | EUR, default "USD")',
      'tags (list of number, optional)',
    ]);
  });
});
