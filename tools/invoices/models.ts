import { z } from 'zod';

/** Schemas of the sample invoices tool. Workflow-safe: zod only. */
export const currency = z.enum(['USD', 'EUR', 'GBP']);

export const vendorLookupInput = z.object({ vendor: z.string().min(1) });
export const vendorLookupOutput = z.object({
  vendor: z.string(),
  previousInvoices: z.number().int().nonnegative(),
  previousTotal: z.number().nonnegative(),
});

export const riskInput = z.object({
  vendor: z.string().min(1),
  amount: z.number().positive(),
  currency,
  previousInvoices: z.number().int().nonnegative(),
});
export const riskOutput = z.object({
  risk: z.enum(['low', 'high']),
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});

export const recordInput = z.object({
  /** Same key on every retry: the row is written once however often the activity runs. */
  idempotencyKey: z.string().min(1),
  vendor: z.string().min(1),
  amount: z.number().positive(),
  currency,
});
export const recordOutput = z.object({ entryId: z.string(), created: z.boolean() });

/** Vendors the sample refuses outright (a non-retryable failure). */
export const sanctionedVendors: readonly string[] = ['sanctioned-co'];
