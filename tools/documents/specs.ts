import { defineActivity } from '../../core/workflow/activity-spec';
import {
  ocrInput,
  ocrOutput,
  parseEmailInput,
  parseEmailOutput,
  pdfTextInput,
  pdfTextOutput,
  readSheetInput,
  readSheetOutput,
  transformInput,
  transformOutput,
} from './models';

/**
 * Activity specs of the documents tool (workflow-safe; implementations in activities.ts).
 *
 * Parsing files is CPU and memory work on untrusted input, so it runs on the heavy tier (few
 * slots, its own workers): PDF text, OCR, spreadsheets, email. documents.transform is the
 * exception: a pure walk over rows already in the payload (bounded by Temporal's payload size,
 * milliseconds), so it stays on the light tier — and a workflow may run the same function itself
 * (tools/documents/workflow/transform.ts). None changes the world; none is offered to agents
 * (their inputs are whole files).
 *
 * A file that cannot be read fails with the non-retryable type DocumentInvalid; an input over
 * DOCUMENTS_MAX_BYTES or a blob reference (not readable yet) with InvalidInput.
 */
export const documentsPdfText = defineActivity({
  name: 'documents.pdfText',
  description:
    'Extract the text of a PDF page by page (lines, tab-separated cells) and the tables found on each page',
  tier: 'heavy',
  input: pdfTextInput,
  output: pdfTextOutput,
  labels: ['documents'],
  startToCloseTimeout: '2 minutes',
});

export const documentsOcr = defineActivity({
  name: 'documents.ocr',
  description:
    'Recognize the text of a PNG or JPEG image, or of each page of a scanned PDF (English, tesseract)',
  tier: 'heavy',
  input: ocrInput,
  output: ocrOutput,
  labels: ['documents'],
  // A few seconds a page, up to DOCUMENTS_MAX_PAGES pages; heartbeats (the worker sends them while
  // the activity runs) let Temporal notice a crashed worker in a minute, not ten.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
});

export const documentsReadSheet = defineActivity({
  name: 'documents.readSheet',
  description:
    'Read an xlsx workbook or a CSV file as tables: islands of cells separated by empty rows and columns, with their headers (merged header cells expanded) and rows',
  tier: 'heavy',
  input: readSheetInput,
  output: readSheetOutput,
  labels: ['documents'],
  startToCloseTimeout: '2 minutes',
});

export const documentsParseEmail = defineActivity({
  name: 'documents.parseEmail',
  description:
    'Parse an .eml message: addresses, subject, date, text and HTML bodies, and attachments (small ones inline)',
  tier: 'heavy',
  input: parseEmailInput,
  output: parseEmailOutput,
  labels: ['documents'],
});

export const documentsTransform = defineActivity({
  name: 'documents.transform',
  description:
    'Transform rows by declarative rules: rename, cast (number, date, boolean, string), derive from an expression, drop, filter',
  tier: 'light',
  input: transformInput,
  output: transformOutput,
  labels: ['documents'],
});

export const documentsSpecs = [
  documentsPdfText,
  documentsOcr,
  documentsReadSheet,
  documentsParseEmail,
  documentsTransform,
];
