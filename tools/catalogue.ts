import { ActivityCatalogue } from '../core/workflow/activity-catalogue';
import { actionSpecs } from './actions/specs';
import { invoiceSpecs } from './invoices/specs';
import { budgetSpecs } from '../core/workflow/budget-contract';
import { llmSpecs } from './llm/specs';

/**
 * Every activity spec, for workflows to run by name. Workflow-safe: specs only, no implementations.
 * The worker checks at start-up that each one has an implementation on its tier.
 */
export const activitySpecs = [...invoiceSpecs, ...llmSpecs, ...budgetSpecs, ...actionSpecs];

export const activities = new ActivityCatalogue(activitySpecs);
