import { z } from 'zod';
import { defineWorkflow } from '../core/workflow/workflow-definition';
import { Progress } from '../core/workflow/progress';
import { currency } from '../tools/invoices/models';
import { runLogic } from '../tools/code-executor/workflow/run-logic';
import type { computeLateFee } from './invoices/logic/late-fee';

/**
 * The late-payment fee of an invoice, by finance's rule: the business-logic function
 * invoices/logic/late-fee.computeLateFee (workflows/invoices/logic/late-fee.ts), run by
 * code.execute on the heavy tier. The workflow takes its types, never its code.
 */
export const invoiceLateFeeDefinition = defineWorkflow({
  name: 'invoice-late-fee',
  description:
    'Work out the late-payment fee of an invoice with the finance rule (business logic on the heavy tier)',
  labels: ['finance', 'sample'],
  example: 'amount=1200 currency=EUR daysLate=40',
  input: z.object({
    amount: z.number().positive().describe('invoice amount'),
    currency: currency.default('USD').describe('currency of the amount'),
    daysLate: z.number().int().nonnegative().describe('days between the due date and payment'),
  }),
  output: z.object({
    fee: z.number().describe('the fee, rounded to cents'),
    currency: currency.describe('currency of the fee'),
    periods: z.number().int().describe('started 30-day periods charged'),
    capped: z.boolean().describe('true when the cap lowered the fee'),
    explanation: z.string().describe('how the fee was reached'),
  }),
});

type Input = z.input<typeof invoiceLateFeeDefinition.input>;
type Output = z.output<typeof invoiceLateFeeDefinition.output>;

export async function invoiceLateFee(rawInput: Input): Promise<Output> {
  const input = invoiceLateFeeDefinition.parseRunInput(rawInput);
  const progress = new Progress(1);
  await progress.step('Computing the late fee');
  return runLogic<typeof computeLateFee>('invoices/logic/late-fee.computeLateFee', input);
}
