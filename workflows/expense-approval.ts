import { z } from 'zod';
import { approvalResultSchema } from '../approvals/models';
import { requestApproval } from '../approvals/workflow/request-approval';
import { defineWorkflow } from '../core/workflow/workflow-definition';
import { Progress } from '../core/workflow/progress';

export const expenseApprovalDefinition = defineWorkflow({
  name: 'expense-approval',
  description:
    'Have an expense approved by a manager in Slack, then by finance by email (approvers from the policy)',
  labels: ['finance', 'sample', 'approvals'],
  example: 'description="Team dinner" amount=240',
  input: z.object({
    description: z.string().min(1).describe('what the money is for'),
    amount: z.number().positive().describe('amount to reimburse'),
    currency: z.enum(['USD', 'EUR', 'GBP']).default('USD').describe('currency of the amount'),
    // Approvers come from the deployment policy (`approvers.manager`, `approvers.finance`); these
    // two count only where that policy sets `approversFromInput: true`.
    manager: z
      .string()
      .min(1)
      .optional()
      .describe('Slack user id of a manager (only where the policy takes approvers from input)'),
    finance: z
      .email()
      .optional()
      .describe('email of a finance approver (only where the policy takes approvers from input)'),
    timeoutHours: z.number().positive().default(24).describe('hours each approver has to answer'),
  }),
  output: z.object({
    status: z.enum(['approved', 'rejected', 'expired']),
    manager: approvalResultSchema,
    finance: approvalResultSchema.optional(),
  }),
  sideEffecting: true,
});

type Input = z.input<typeof expenseApprovalDefinition.input>;
type Output = z.output<typeof expenseApprovalDefinition.output>;

export async function expenseApproval(rawInput: Input): Promise<Output> {
  const input = expenseApprovalDefinition.parseRunInput(rawInput);
  const progress = new Progress(2);
  const amount = `${input.amount.toFixed(2)} ${input.currency}`;
  const request = {
    title: `Expense: ${amount} for ${input.description}`,
    details: `*${input.description}*\nAmount: *${amount}*`,
    timeout: `${input.timeoutHours} hours`,
    // Both approvers approve exactly this reimbursement: other arguments would void their decision.
    action: {
      name: 'expenses.reimburse',
      args: { amount: input.amount, currency: input.currency, description: input.description },
    },
  };

  await progress.step('Manager approval (Slack)');
  await progress.waiting('the manager in Slack');
  const manager = await requestApproval({
    ...request,
    step: 'manager',
    ...(input.manager ? { approvers: { slackUsers: [input.manager] } } : {}),
  });
  await progress.resumed();
  if (manager.decision !== 'approved') {
    await progress.completed();
    return { status: manager.decision, manager };
  }

  await progress.step('Finance approval (email)');
  await progress.waiting('finance by email');
  const finance = await requestApproval({
    ...request,
    step: 'finance',
    details: `${request.details}\nApproved by the manager.`,
    ...(input.finance ? { approvers: { emails: [input.finance] } } : {}),
    allowComment: true,
  });
  await progress.completed();
  return { status: finance.decision, manager, finance };
}
