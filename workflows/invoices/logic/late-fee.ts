import { z } from 'zod';
import { defineLogic } from '../../../core/workflow/logic';
import { currency } from '../../../tools/invoices/models';

/**
 * Late-payment fees of the invoices area (finance's rule, in one place): after a grace period,
 * `monthlyRatePercent` of the amount for every started 30 days late, capped at `capPercent` of
 * the amount, rounded to cents. Runs through `code.execute` (workflows/invoice-late-fee.ts).
 */
export const computeLateFee = defineLogic({
  name: 'computeLateFee',
  description:
    'The late-payment fee of an invoice: a monthly rate per started 30 days past the grace period, capped, in cents',
  labels: ['finance'],
  agentCallable: true,
  input: z.object({
    amount: z.number().positive().describe('invoice amount'),
    currency: currency.default('USD').describe('currency of the amount (and of the fee)'),
    daysLate: z.number().int().nonnegative().describe('days between the due date and payment (or today)'),
    graceDays: z.number().int().nonnegative().default(5).describe('days late that cost nothing'),
    monthlyRatePercent: z
      .number()
      .nonnegative()
      .max(10)
      .default(1.5)
      .describe('percent of the amount charged per started 30 days late'),
    capPercent: z
      .number()
      .nonnegative()
      .max(100)
      .default(10)
      .describe('the fee never exceeds this percent of the amount'),
  }),
  output: z.object({
    fee: z.number().nonnegative().describe('the fee, rounded to cents'),
    currency: currency.describe('currency of the fee'),
    periods: z
      .number()
      .int()
      .nonnegative()
      .describe('started 30-day periods charged (0 within the grace period)'),
    capped: z.boolean().describe('true when the cap lowered the fee'),
    explanation: z.string().describe('how the fee was reached, one sentence'),
  }),
  run: ({ amount, currency, daysLate, graceDays, monthlyRatePercent, capPercent }) => {
    const charged = Math.max(0, daysLate - graceDays);
    const periods = Math.ceil(charged / 30);
    const uncapped = (amount * monthlyRatePercent * periods) / 100;
    const cap = (amount * capPercent) / 100;
    const capped = uncapped > cap;
    const fee = Math.round(Math.min(uncapped, cap) * 100) / 100;
    const explanation =
      periods === 0
        ? `${daysLate} days late is within the ${graceDays}-day grace period: no fee.`
        : `${periods} started 30-day period(s) after ${graceDays} grace days at ${monthlyRatePercent}% of ${amount} ${currency}${capped ? `, capped at ${capPercent}%` : ''}.`;
    return { fee, currency, periods, capped, explanation };
  },
});
