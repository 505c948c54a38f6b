import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseArguments, tokenize } from './parse-arguments';

const schema = z.object({
  vendor: z.string().min(1),
  amount: z.number().positive(),
  rush: z.boolean().default(false),
  currency: z.enum(['USD', 'EUR']).default('USD'),
  tags: z.array(z.string()).default([]),
  counts: z.array(z.number()).optional(),
});

describe('parseArguments', () => {
  it('types key=value pairs by the schema', () => {
    const parsed = parseArguments(schema, 'vendor="Acme Corp" amount=1200.5 rush=yes tags=a,b counts=[1,2]');
    expect(parsed).toEqual({
      ok: true,
      input: {
        vendor: 'Acme Corp',
        amount: 1200.5,
        rush: true,
        currency: 'USD',
        tags: ['a', 'b'],
        counts: [1, 2],
      },
    });
  });

  it('accepts one JSON object', () => {
    expect(parseArguments(schema, '{"vendor":"acme","amount":3}')).toMatchObject({
      ok: true,
      input: { vendor: 'acme', amount: 3 },
    });
  });

  it('names each bad field and what it expects, and the missing ones', () => {
    const parsed = parseArguments(schema, 'amount=lots currency=JPY colour=red');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.missing).toEqual(['vendor']);
    expect(parsed.problems.join('\n')).toMatch(/colour: unknown field/);
    expect(parsed.problems.join('\n')).toMatch(/amount: .*number/i);
    expect(parsed.problems.join('\n')).toMatch(/currency: .*"USD"\|"EUR"|currency: .*USD/);
    expect(parsed.problems).toContain('vendor: required');
  });

  it('rejects a token without =', () => {
    const parsed = parseArguments(schema, 'vendor=a amount=1 oops');
    expect(parsed.ok).toBe(false);
  });

  it('tokenizes quoted values, including Slack smart quotes', () => {
    expect(tokenize('a="x y" b=“p q” c=3')).toEqual(['a=x y', 'b=p q', 'c=3']);
  });
});
