/** The workflow bundle's entry: every workflow function, exported under its workflow type. */
export { invoiceReview } from './invoice-review';
export { expenseApproval } from './expense-approval';
export { columnMapping } from './column-mapping';
export { contractExtraction } from './contract-extraction';
export { agent } from './agent';
