import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { defineTool } from '../../core/registry/tool-module';
import type { ToolContext } from '../../core/registry/tool-module';
import { assessRisk, invoiceSpecs, lookupVendor, recordInvoice } from './specs';
import { InvoicesTool } from './tool';

/** Activities of the invoices tool: thin wrappers that initialize the tool and run one action. */
export function createInvoiceActivities(tool: InvoicesTool): ActivityImplementation[] {
  return [
    implementActivity(
      lookupVendor,
      tool.whenReady((input) => tool.lookupVendor(input)),
    ),
    implementActivity(
      assessRisk,
      tool.whenReady((input) => tool.assessRisk(input)),
    ),
    implementActivity(
      recordInvoice,
      tool.whenReady((input) => tool.record(input)),
    ),
  ];
}

/** The invoices tool for the worker (found by folder: worker/tool-modules.ts). */
export const tool = defineTool({
  name: 'invoices',
  specs: invoiceSpecs,
  activities: ({ config, db }: ToolContext) =>
    createInvoiceActivities(new InvoicesTool({ db, recordLatencyMs: config.SAMPLE_RECORD_LATENCY_MS })),
});
