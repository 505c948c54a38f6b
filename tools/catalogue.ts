import { ActivityCatalogue } from '../core/workflow/activity-catalogue';
import { invoiceSpecs } from './invoices/specs';
import { llmSpecs } from './llm/specs';

/**
 * Every activity spec, for workflows to run by name. Workflow-safe: specs only, no implementations.
 * The worker checks at start-up that each one has an implementation on its tier.
 */
export const activitySpecs = [...invoiceSpecs, ...llmSpecs];

export const activities = new ActivityCatalogue(activitySpecs);
