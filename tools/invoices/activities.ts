import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { assessRisk, lookupVendor, recordInvoice } from './specs';
import type { InvoicesTool } from './tool';

/** Activities of the invoices tool: thin wrappers that initialize the tool and run one action. */
export function createInvoiceActivities(tool: InvoicesTool): ActivityImplementation[] {
  const whenReady =
    <I, O>(run: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      await tool.ready();
      return run(input);
    };
  return [
    implementActivity(lookupVendor, whenReady(tool.actions.lookupVendor.run)),
    implementActivity(assessRisk, whenReady(tool.actions.assessRisk.run)),
    implementActivity(recordInvoice, whenReady(tool.actions.record.run)),
  ];
}
