import { workflowInfo } from '@temporalio/workflow';
import { z } from 'zod';
import { requestApproval } from '../approvals/workflow/request-approval';
import type { ApprovalResult } from '../approvals/workflow/request-approval';
import { defineWorkflow } from '../core/workflow/workflow-definition';
import { Progress } from '../core/workflow/progress';
import { runActivity } from '../core/workflow/run-activity';
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
    /** Who decided the review: `slack:U…`, `email:…` or `cli:…`. */
    reviewedBy: z.string().optional(),
    note: z.string().optional(),
    ledgerEntryId: z.string().optional(),
  }),
  sideEffecting: true,
});

type Input = z.input<typeof invoiceReviewDefinition.input>;
type Output = z.output<typeof invoiceReviewDefinition.output>;

export async function invoiceReview(rawInput: Input): Promise<Output> {
  const input = invoiceReviewDefinition.parseRunInput(rawInput);
  const progress = new Progress(4);

  await progress.step('Looking up vendor');
  const history = await runActivity(lookupVendor, { vendor: input.vendor });

  await progress.step('Assessing risk');
  const assessment = await runActivity(assessRisk, {
    ...input,
    previousInvoices: history.previousInvoices,
  });
  const summary = {
    vendor: input.vendor,
    amount: input.amount,
    currency: input.currency,
    risk: assessment.risk,
  };

  let review: ApprovalResult | undefined;
  if (assessment.risk === 'high') {
    await progress.step('Waiting for review');
    await progress.waiting('a review');
    const amount = `${input.amount.toFixed(2)} ${input.currency}`;
    const vendor = input.vendor.length > 80 ? `${input.vendor.slice(0, 79)}…` : input.vendor;
    const earlier = history.previousInvoices;
    const details = [
      `*${vendor}*`,
      `Amount: *${amount}*`,
      `Risk: *high* (score ${assessment.score.toFixed(2)})${assessment.reasons.length ? ` — ${assessment.reasons.join('; ')}` : ''}`,
      `Earlier invoices from this vendor: ${earlier}`,
      'Approving records it in the ledger.',
    ].join('\n');
    // Approvers come from the deployment policy (`workflows.invoice-review.approvers.review`),
    // never from the input; the decision is a signed Update the run verifies, bound to exactly
    // this invoice (other arguments would void it), and the requester cannot approve their own.
    review = await requestApproval({
      title: `Invoice: ${amount} from ${vendor}`,
      details: details.slice(0, 2800),
      step: 'review',
      timeout: `${input.reviewTimeoutHours} hours`,
      action: {
        name: 'invoices.record',
        args: { vendor: input.vendor, amount: input.amount, currency: input.currency },
      },
    });
    await progress.resumed();
    if (review.decision !== 'approved') {
      await progress.completed();
      return {
        ...summary,
        decision: review.decision,
        // An expired request was decided by nobody ('timeout'/'cancelled'): no reviewer to name.
        ...(review.decision === 'rejected' ? { reviewedBy: review.decidedBy } : {}),
        ...(review.comment ? { note: review.comment } : {}),
      };
    }
  }

  await progress.step('Recording in ledger');
  const entry = await runActivity(recordInvoice, {
    idempotencyKey: `${workflowInfo().workflowId}/ledger`,
    vendor: input.vendor,
    amount: input.amount,
    currency: input.currency,
  });
  await progress.completed();
  return {
    ...summary,
    decision: review ? 'approved' : 'auto-approved',
    ...(review ? { reviewedBy: review.decidedBy } : {}),
    ...(review?.comment ? { note: review.comment } : {}),
    ledgerEntryId: entry.entryId,
  };
}
