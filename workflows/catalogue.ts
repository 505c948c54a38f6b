import { WorkflowRegistry } from '../core/registry/workflow-registry';
import type { WorkflowDefinition } from '../core/workflow/workflow-definition';
import { agentDefinition } from './agent';
import { columnMappingDefinition } from './column-mapping';
import { contractExtractionDefinition } from './contract-extraction';
import { expenseApprovalDefinition } from './expense-approval';
import { invoiceReviewDefinition } from './invoice-review';

/** Every registered workflow definition; the bot, CLI, worker and Actions Hub read this list. */
export const workflowDefinitions: readonly WorkflowDefinition[] = [
  invoiceReviewDefinition,
  expenseApprovalDefinition,
  columnMappingDefinition,
  contractExtractionDefinition,
  agentDefinition,
];

export function createWorkflowRegistry(): WorkflowRegistry {
  return new WorkflowRegistry().register(...workflowDefinitions);
}
