import { z } from 'zod';
import { defineActivity } from '../../core/workflow/activity-spec';

/** The benchmark's activity: echoes a small invoice-like record. */
export const echoSpec = defineActivity({
  name: 'bench.echo',
  description: 'Echo a record',
  tier: 'light',
  input: z.object({
    vendor: z.string(),
    amount: z.number(),
    lines: z.array(z.object({ sku: z.string(), qty: z.number() })),
  }),
  output: z.object({
    vendor: z.string(),
    amount: z.number(),
    lines: z.array(z.object({ sku: z.string(), qty: z.number() })),
  }),
});

export type EchoInput = z.input<typeof echoSpec.input>;

export const sampleRecord: EchoInput = {
  vendor: 'acme',
  amount: 1200.5,
  lines: Array.from({ length: 10 }, (_, i) => ({ sku: `sku-${i}`, qty: i })),
};
