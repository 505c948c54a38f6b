import { ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { z } from 'zod';
import { defineWorkflow } from '../core/workflow/workflow-definition';
import { Progress } from '../core/workflow/progress';
import { activities } from '../tools/catalogue';
import { currency } from '../tools/invoices/models';
import { assessRisk, lookupVendor, recordInvoice } from '../tools/invoices/specs';

export const invoiceReviewDefinition = defineWorkflow({
  name: 'invoice-review',
  description:
    'Check a vendor invoice, ask a person to review it when it looks risky, and record it in the ledger',
  labels: ['finance', 'sample'],
  agentCallable: true,
  example: 'vendor=acme amount=1200 currency=EUR',
  input: z.object({
    vendor: z.string().min(1).describe('vendor name'),
    amount: z.number().positive().describe('invoice amount'),
    currency: currency.default('USD').describe('currency of the amount'),
    reviewTimeoutHours: z
      .number()
      .positive()
      .default(24)
      .describe('hours to wait for a review before rejecting'),
  }),
  output: z.object({
    vendor: z.string(),
    amount: z.number(),
    currency,
    risk: z.enum(['low', 'high']),
    decision: z.enum(['auto-approved', 'approved', 'rejected', 'expired']),
    reviewedBy: z.string().optional(),
    note: z.string().optional(),
    ledgerEntryId: z.string().optional(),
  }),
  signals: {
    review: z.object({ approve: z.boolean(), reviewer: z.string().min(1), note: z.string().optional() }),
  },
  sideEffecting: true,
});

type Input = z.input<typeof invoiceReviewDefinition.input>;
type Output = z.output<typeof invoiceReviewDefinition.output>;
type Review = z.output<typeof invoiceReviewDefinition.signalSchemas.review>;

export async function invoiceReview(rawInput: Input): Promise<Output> {
  const parsed = invoiceReviewDefinition.input.safeParse(rawInput);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(`Invalid input: ${parsed.error.message}`, 'InvalidInput');
  }
  const input = parsed.data;
  const progress = new Progress(4);
  let review: Review | undefined;
  setHandler(invoiceReviewDefinition.signals.review, (signal) => {
    const valid = invoiceReviewDefinition.signalSchemas.review.safeParse(signal);
    review ??= valid.success ? valid.data : undefined; // the first valid review wins
  });

  await progress.step('Looking up vendor');
  const history = await activities.run(lookupVendor, { vendor: input.vendor });

  await progress.step('Assessing risk');
  const assessment = await activities.run(assessRisk, {
    ...input,
    previousInvoices: history.previousInvoices,
  });
  const summary = {
    vendor: input.vendor,
    amount: input.amount,
    currency: input.currency,
    risk: assessment.risk,
  };

  if (assessment.risk === 'high') {
    await progress.step('Waiting for review');
    await progress.waiting('a review (signal "review")');
    const reviewed = await condition(() => review !== undefined, input.reviewTimeoutHours * 3_600_000);
    await progress.resumed();
    if (!reviewed || !review) {
      await progress.completed();
      return { ...summary, decision: 'expired' };
    }
    if (!review.approve) {
      await progress.completed();
      return { ...summary, decision: 'rejected', reviewedBy: review.reviewer, note: review.note };
    }
  }

  await progress.step('Recording in ledger');
  const entry = await activities.run(recordInvoice, {
    idempotencyKey: `${workflowInfo().workflowId}/ledger`,
    vendor: input.vendor,
    amount: input.amount,
    currency: input.currency,
  });
  await progress.completed();
  return {
    ...summary,
    decision: review ? 'approved' : 'auto-approved',
    reviewedBy: review?.reviewer,
    note: review?.note,
    ledgerEntryId: entry.entryId,
  };
}
