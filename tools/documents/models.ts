import { z } from 'zod';
import { blobRefSchema } from '../../core/blobs/models';

/**
 * Schemas of the documents tool. Workflow-safe: zod only.
 *
 * A file travels as its content, never as a path on a worker: inline base64 (bounded by
 * DOCUMENTS_MAX_BYTES) or a blob reference into the blob store (core/blobs,
 * for anything larger). Temporal stores every input in its history, so large files belong there.
 */
export const fileInput = z
  .union([
    z.strictObject({
      base64: z
        .string()
        .min(1)
        .describe('the file content, base64-encoded (at most DOCUMENTS_MAX_BYTES decoded)'),
      filename: z.string().optional().describe('the original file name, for messages only (never opened)'),
    }),
    z.strictObject({
      blobRef: blobRefSchema.shape.blobRef.describe(
        'a reference into the blob store (core/blobs) holding the file',
      ),
      filename: z.string().optional().describe('the original file name, for messages only (never opened)'),
    }),
  ])
  .describe('the file: { base64 } inline, or { blobRef } for a file in the blob store; never a path');

export const cellValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .describe('a cell: text, number, boolean, or null when empty (dates are ISO 8601 text)');

const maxPages = z
  .number()
  .int()
  .positive()
  .optional()
  .describe('most pages to read from the start (capped by DOCUMENTS_MAX_PAGES, the default)');

// ── documents.pdfText ─────────────────────────────────────────────────────────────────────────

export const pdfTextInput = z.object({
  file: fileInput,
  maxPages,
  detectTables: z
    .boolean()
    .default(true)
    .describe('look for tables: runs of lines whose cells (text separated by wide gaps) line up'),
});

export const pdfTable = z.object({
  page: z.number().int().positive().describe('the page the table is on (1-based)'),
  headers: z.array(z.string()).describe('the cells of the first line of the table'),
  rows: z.array(z.array(z.string())).describe('the following lines, one string per column ("" when empty)'),
});

export const pdfPage = z.object({
  page: z.number().int().positive().describe('page number (1-based)'),
  text: z.string().describe('the page text, one line of the page per line, cells separated by tabs'),
  tables: z.array(pdfTable).describe('tables detected on this page (empty unless detectTables)'),
});

export const pdfTextOutput = z.object({
  pageCount: z.number().int().nonnegative().describe('pages in the document'),
  pages: z.array(pdfPage).describe('the pages read, in order'),
  truncated: z.boolean().describe('true when the document has more pages than were read'),
  hasText: z
    .boolean()
    .describe('false when no page has a text layer (a scanned document: use documents.ocr)'),
});

// ── documents.ocr ─────────────────────────────────────────────────────────────────────────────

export const ocrInput = z.object({
  file: fileInput,
  maxPages,
  scale: z
    .number()
    .min(1)
    .max(4)
    .default(2)
    .describe('for a PDF: render scale of each page before OCR (2 ≈ 144 dpi); ignored for images'),
});

export const ocrPage = z.object({
  page: z.number().int().positive().describe('page number (1 for an image)'),
  text: z.string().describe('the recognized text'),
  confidence: z.number().min(0).max(100).describe('mean word confidence, 0–100'),
});

export const ocrOutput = z.object({
  source: z.enum(['png', 'jpeg', 'pdf']).describe('what the file was, from its first bytes'),
  pages: z.array(ocrPage).describe('one entry per image or rendered PDF page'),
  truncated: z.boolean().describe('true when a PDF has more pages than were read'),
});

// ── documents.readSheet ───────────────────────────────────────────────────────────────────────

export const readSheetInput = z.object({
  file: fileInput,
  format: z
    .enum(['xlsx', 'csv'])
    .optional()
    .describe('xlsx or csv; by default from the first bytes (a zip is xlsx, anything else csv)'),
  sheets: z.array(z.string()).optional().describe('xlsx: the worksheets to read, by name (default all)'),
  delimiter: z
    .string()
    .length(1)
    .optional()
    .describe('csv: the field separator (default: the one of , ; tab | most frequent in the first line)'),
  maxRows: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('most data rows returned per island; more sets truncated on the island'),
});

export const sheetIsland = z.object({
  sheet: z.string().describe('worksheet name ("csv" for a CSV file)'),
  range: z.string().describe('the A1 range of the island, e.g. "B2:D9"'),
  headerRows: z
    .number()
    .int()
    .nonnegative()
    .describe('rows of the island read as headers (0: none found, columns named by letter)'),
  headers: z
    .array(z.string())
    .describe(
      'one unique name per column: header text (stacked headers joined by " / "), else the column letter',
    ),
  rows: z.array(z.record(z.string(), cellValue)).describe('the data rows, header → cell'),
  truncated: z
    .boolean()
    .describe('true when rows were left out: over maxRows, or past the ~1.5 MB of rows one result may carry'),
});

export const readSheetOutput = z.object({
  sheets: z.array(z.string()).describe('the worksheets read, in workbook order'),
  islands: z
    .array(sheetIsland)
    .describe('the tables found: blocks of cells separated by empty rows and columns, top to bottom'),
});

// ── documents.parseEmail ──────────────────────────────────────────────────────────────────────

export const parseEmailInput = z.object({ file: fileInput });

export const emailAddress = z.object({
  name: z.string().describe('display name ("" when none)'),
  address: z.string().describe('the address'),
});

export const emailAttachment = z.object({
  filename: z.string().nullable().describe('the file name of the attachment, when it has one'),
  contentType: z.string().describe('its MIME type'),
  size: z.number().int().nonnegative().describe('its size in bytes (decoded)'),
  contentId: z.string().nullable().describe('Content-ID of an inline part, when it has one'),
  base64: z
    .string()
    .optional()
    .describe(
      'the content, base64 — only when size ≤ DOCUMENTS_INLINE_ATTACHMENT_BYTES and the result stays under ~1.5 MB',
    ),
  contentOmitted: z
    .boolean()
    .describe(
      'true when the content was left out (too large, or the inline budget of the message was spent)',
    ),
});

export const parseEmailOutput = z.object({
  from: z.array(emailAddress).describe('From addresses'),
  to: z.array(emailAddress).describe('To addresses'),
  cc: z.array(emailAddress).describe('Cc addresses'),
  subject: z.string().describe('the subject ("" when none)'),
  date: z.string().nullable().describe('the Date header as ISO 8601, when present and valid'),
  messageId: z.string().nullable().describe('the Message-ID header'),
  text: z.string().describe('the plain-text body ("" when none)'),
  html: z.string().nullable().describe('the HTML body, when there is one'),
  attachments: z.array(emailAttachment).describe('every attachment, in message order'),
});

// ── documents.transform ───────────────────────────────────────────────────────────────────────

/**
 * A derived value, as data (no code is ever evaluated): a column, a literal, arithmetic on two
 * values, a concatenation, a `{column}` template, or the first non-empty of several values.
 */
export type Expression =
  | { kind: 'column'; name: string }
  | { kind: 'literal'; value: string | number | boolean | null }
  | {
      kind: 'arithmetic';
      op: 'add' | 'subtract' | 'multiply' | 'divide';
      left: Expression;
      right: Expression;
    }
  | { kind: 'concat'; parts: Expression[]; separator?: string | undefined }
  | { kind: 'template'; template: string }
  | { kind: 'coalesce'; values: Expression[] };

export const expression: z.ZodType<Expression, Expression> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('column').describe('the value of a column of the row'),
      name: z.string().min(1).describe('the column'),
    }),
    z.object({
      kind: z.literal('literal').describe('a constant'),
      value: cellValue,
    }),
    z.object({
      kind: z.literal('arithmetic').describe('left op right, on numbers (numeric text is read as a number)'),
      op: z.enum(['add', 'subtract', 'multiply', 'divide']).describe('the operation'),
      left: expression.describe('the left operand'),
      right: expression.describe('the right operand'),
    }),
    z.object({
      kind: z.literal('concat').describe('the parts as text, joined (empty parts count as "")'),
      parts: z.array(expression).min(1).describe('the values to join'),
      separator: z.string().optional().describe('put between parts (default "")'),
    }),
    z.object({
      kind: z.literal('template').describe('text with {column} placeholders filled from the row'),
      template: z.string().describe('e.g. "{first} {last}"; {{ and }} are literal braces'),
    }),
    z.object({
      kind: z.literal('coalesce').describe('the first value that is not null or ""'),
      values: z.array(expression).min(1).describe('the candidates, in order'),
    }),
  ]),
);

export const castTypes = ['number', 'date', 'boolean', 'string'] as const;

export const transformRule = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('rename').describe('rename a column'),
    from: z.string().min(1).describe('the current name'),
    to: z.string().min(1).describe('the new name'),
  }),
  z.object({
    op: z
      .literal('cast')
      .describe('convert the values of a column; a value that does not convert is a row error'),
    column: z.string().min(1).describe('the column'),
    to: z
      .enum(castTypes, { error: () => `unknown cast: expected one of ${castTypes.join(', ')}` })
      .describe('number ("1,200.50" → 1200.5), date (→ ISO 8601), boolean (true/false/yes/no/1/0), string'),
  }),
  z.object({
    op: z.literal('derive').describe('set a column to an expression over the row'),
    column: z.string().min(1).describe('the column to set (added when new)'),
    expression: expression.describe(
      'the value, as a tree: column, literal, arithmetic, concat, template or coalesce (never code)',
    ),
  }),
  z.object({
    op: z.literal('drop').describe('remove columns'),
    columns: z.array(z.string().min(1)).min(1).describe('the columns to remove'),
  }),
  z.object({
    op: z.literal('filter').describe('keep only the rows whose column equals a value'),
    column: z.string().min(1).describe('the column compared'),
    equals: cellValue.describe('the value kept rows have (strict equality after earlier rules)'),
    keep: z.boolean().default(true).describe('false: drop the matching rows instead'),
  }),
]);

export const row = z.record(z.string(), cellValue).describe('one row: column → cell');

export const transformInput = z.object({
  rows: z.array(row).describe('the rows to transform'),
  rules: z.array(transformRule).describe('applied in order, each to every row'),
  onError: z
    .enum(['collect', 'fail'])
    .default('collect')
    .describe(
      'collect: a bad value becomes null and is listed in errors; fail: the first one fails the call',
    ),
});

export const transformError = z.object({
  row: z.number().int().nonnegative().describe('index of the row in the input (0-based)'),
  rule: z.number().int().nonnegative().describe('index of the rule that failed (0-based)'),
  column: z.string().describe('the column'),
  value: cellValue.describe('the value that did not convert'),
  message: z.string().describe('what was wrong'),
});

export const transformOutput = z.object({
  rows: z.array(row).describe('the transformed rows (filtered rows left out)'),
  columns: z.array(z.string()).describe('every column of the output, in first-seen order'),
  errors: z.array(transformError).describe('row errors (onError collect)'),
});

export type FileInput = z.output<typeof fileInput>;
export type CellValue = z.output<typeof cellValue>;
export type Row = z.output<typeof row>;
export type PdfTextInput = z.output<typeof pdfTextInput>;
export type PdfTextOutput = z.input<typeof pdfTextOutput>;
export type PdfTable = z.output<typeof pdfTable>;
export type OcrInput = z.output<typeof ocrInput>;
export type OcrOutput = z.input<typeof ocrOutput>;
export type ReadSheetInput = z.output<typeof readSheetInput>;
export type ReadSheetOutput = z.input<typeof readSheetOutput>;
export type SheetIsland = z.output<typeof sheetIsland>;
export type ParseEmailInput = z.output<typeof parseEmailInput>;
export type ParseEmailOutput = z.input<typeof parseEmailOutput>;
export type EmailAddress = z.output<typeof emailAddress>;
export type TransformRule = z.output<typeof transformRule>;
export type TransformInput = z.output<typeof transformInput>;
export type TransformOutput = z.output<typeof transformOutput>;
export type TransformError = z.output<typeof transformError>;
