import { z } from 'zod';
import { defineLogic } from '../../../../../../core/workflow/logic';

/**
 * Business-logic functions that misbehave, for the code executor's tests: laid out as a
 * workflows/ folder (demo/logic/misbehaving.ts), so their names are demo/logic/misbehaving.<name>.
 */
const nothing = z.object({});

export const add = defineLogic({
  name: 'add',
  description: 'a + b',
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number() }),
  run: async ({ a, b }) => ({ sum: a + b }),
});

export const throws = defineLogic({
  name: 'throws',
  description: 'throws a RangeError',
  input: nothing,
  output: nothing,
  run: () => {
    throw new RangeError('the rate table has no row for 2031');
  },
});

export const loops = defineLogic({
  name: 'loops',
  description: 'never returns',
  input: nothing,
  output: nothing,
  run: () => {
    for (;;) {
      /* busy */
    }
  },
});

export const hogsMemory = defineLogic({
  name: 'hogsMemory',
  description: 'keeps allocating',
  input: nothing,
  output: nothing,
  run: () => {
    const kept: number[][] = [];
    for (;;) kept.push(Array.from({ length: 100_000 }, (_, i) => i));
  },
});

export const readsEnvironment = defineLogic({
  name: 'readsEnvironment',
  description: "returns the thread's environment",
  input: nothing,
  output: z.object({ env: z.record(z.string(), z.string().optional()) }),
  run: () => ({ env: { ...process.env } }),
});

export const badOutput = defineLogic({
  name: 'badOutput',
  description: 'returns a string where its schema says number',
  input: nothing,
  output: z.object({ total: z.number() }),
  run: () => ({ total: 'twelve' }) as unknown as { total: number },
});

export const exits = defineLogic({
  name: 'exits',
  description: 'ends its thread',
  input: nothing,
  output: nothing,
  run: () => process.exit(3),
});
