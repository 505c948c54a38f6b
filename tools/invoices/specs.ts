import { defineActivity } from '../../core/workflow/activity-spec';
import {
  recordInput,
  recordOutput,
  riskInput,
  riskOutput,
  vendorLookupInput,
  vendorLookupOutput,
} from './models';

/** Activity specs of the invoices tool (workflow-safe; implementations in activities.ts). */
export const lookupVendor = defineActivity({
  name: 'invoices.lookupVendor',
  description: 'Count the invoices already recorded for a vendor',
  tier: 'light',
  input: vendorLookupInput,
  output: vendorLookupOutput,
  labels: ['finance'],
  agentCallable: true,
});

export const assessRisk = defineActivity({
  name: 'invoices.assessRisk',
  description: 'Score an invoice for risk (runs on the heavy tier, like document analysis would)',
  tier: 'heavy',
  input: riskInput,
  output: riskOutput,
  labels: ['finance'],
  agentCallable: true,
});

export const recordInvoice = defineActivity({
  name: 'invoices.record',
  description: 'Record an approved invoice in the ledger, exactly once per idempotency key',
  tier: 'light',
  input: recordInput,
  output: recordOutput,
  labels: ['finance'],
  agentCallable: true,
  sideEffecting: true,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '3 seconds',
});

export const invoiceSpecs = [lookupVendor, assessRisk, recordInvoice];
