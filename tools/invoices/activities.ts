import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { assessRisk, lookupVendor, recordInvoice } from './specs';
import type { InvoicesTool } from './tool';

/** Activities of the invoices tool: thin wrappers that initialize the tool and run one action. */
export function createInvoiceActivities(tool: InvoicesTool): ActivityImplementation[] {
  return [
    implementActivity(lookupVendor, tool.whenReady(tool.actions.lookupVendor.run)),
    implementActivity(assessRisk, tool.whenReady(tool.actions.assessRisk.run)),
    implementActivity(recordInvoice, tool.whenReady(tool.actions.record.run)),
  ];
}
