import { z } from 'zod';
import { workflowInfo } from '@temporalio/workflow';
import { blobRefSchema, type BlobRef } from '../core/blobs/models';
import { defineWorkflow } from '../core/workflow/workflow-definition';
import { Progress } from '../core/workflow/progress';
import { runActivity } from '../core/workflow/run-activity';
import { budgetLimitsSchema, budgetQueries, runUsageSchema } from '../core/workflow/budget-contract';
import { createRunLlm } from '../tools/llm/workflow/run-llm';
import { documentsOcr, documentsPdfText, documentsReadSheet } from '../tools/documents/specs';
import { repositoryInsert, repositoryPutFile } from '../tools/repository/specs';
import { columnMappingDefinition, mapColumns } from './column-mapping';

type Cell = string | number | boolean | null;

export const documentIntakeDefinition = defineWorkflow({
  name: 'document-intake',
  description:
    'Read a document (spreadsheet, CSV, PDF or scan), map its table onto your columns with an LLM, keep the rows and give them back as CSV',
  labels: ['documents', 'ai', 'data', 'sample'],
  example: 'file=@contacts.csv target={"columns":["name","email",{"name":"amount","type":"number"}]}',
  input: z.object({
    file: blobRefSchema.describe('the document, in the blob store (the CLI uploads one with file=@path)'),
    target: columnMappingDefinition.input.shape.target
      .optional()
      .describe('the columns to produce: names, or {name, description, type}; unset keeps the table’s own'),
    model: z.string().optional().describe('model alias (default: the worker’s LLM_DEFAULT_MODEL)'),
    budget: budgetLimitsSchema.optional().describe('LLM budget: {maxTokens, maxCostUsd}'),
  }),
  output: z.object({
    document: z.string().describe('the file name'),
    source: z
      .string()
      .describe('where the table came from, e.g. "sheet Contacts B2:D9", "PDF page 1", or "no table"'),
    columns: z.array(z.string()).describe('the columns of the rows kept'),
    rowCount: z.number().int().describe('rows kept in the repository'),
    preview: z
      .array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])))
      .describe('the first rows'),
    text: z.string().optional().describe('the document’s text when it has no table (first 2,000 characters)'),
    issues: z.array(z.string()).describe('what did not convert, and what the model got wrong'),
    csv: blobRefSchema.optional().describe('the rows as a CSV file in the blob store'),
    usage: runUsageSchema,
  }),
  queries: budgetQueries,
});

type Input = z.input<typeof documentIntakeDefinition.input>;
type Output = z.output<typeof documentIntakeDefinition.output>;
type Table = { source: string; columns: string[]; rows: Cell[][] };

export async function documentIntake(rawInput: Input): Promise<Output> {
  const input = documentIntakeDefinition.parseRunInput(rawInput);
  const progress = new Progress(input.target ? 4 : 3);
  const llm = createRunLlm({ budget: input.budget, progress, model: input.model });
  const name = input.file.name ?? 'the document';

  await progress.step(`Reading ${name}`);
  const found = await readTable(input.file);
  if (!found.table) {
    await progress.completed();
    return {
      document: name,
      source: 'no table',
      columns: [],
      rowCount: 0,
      preview: [],
      text: found.text.slice(0, 2000),
      issues: ['No table was found; the text is returned instead.'],
      usage: llm.usage(),
    };
  }
  let { columns, rows } = found.table;
  let issues: string[] = [];
  if (input.target) {
    await progress.step('Mapping columns');
    const targets = input.target.columns.map((c) => (typeof c === 'string' ? { name: c } : c));
    const mapped = await mapColumns(llm, found.table, targets, 5);
    ({ columns, rows, issues } = mapped);
  }

  await progress.step(`Keeping ${rows.length} row${rows.length === 1 ? '' : 's'}`);
  const { runId } = workflowInfo();
  for (let start = 0; start < rows.length; start += 1000) {
    await runActivity(repositoryInsert, {
      table: 'rows',
      rows: rows.slice(start, start + 1000).map((row, i) => ({
        document: input.file.blobRef,
        row_number: start + i + 1,
        data: Object.fromEntries(columns.map((column, c) => [column, row[c] ?? null])),
        run_id: runId,
      })),
      // The same document read again replaces its rows: a retry or a re-run adds nothing twice.
      onConflict: { columns: ['document', 'row_number'], update: true },
    });
  }

  await progress.step('Writing the CSV');
  const csv = await runActivity(repositoryPutFile, {
    name: `${name.replace(/\.[^.]+$/, '')}.csv`,
    contentType: 'text/csv; charset=utf-8',
    text: toCsv(columns, rows),
  });
  await progress.completed();
  return {
    document: name,
    source: found.table.source,
    columns,
    rowCount: rows.length,
    preview: rows.slice(0, 5),
    issues,
    csv,
    usage: llm.usage(),
  };
}

/** The document's largest table, by what the file is: a sheet or CSV, a PDF's text, or OCR of a scan. */
async function readTable(file: BlobRef): Promise<{ table?: Table; text: string }> {
  const ref = { blobRef: file.blobRef, ...(file.name ? { filename: file.name } : {}) };
  const kind = kindOf(file);
  if (kind === 'sheet') {
    const { islands } = await runActivity(documentsReadSheet, { file: ref });
    const island = largest(islands.map((i) => ({ size: i.rows.length, value: i })));
    if (!island) return { text: '' };
    return {
      table: {
        source: `sheet ${island.sheet} ${island.range}`,
        columns: island.headers,
        rows: island.rows.map((row) => island.headers.map((h) => row[h] ?? null)),
      },
      text: '',
    };
  }
  if (kind === 'pdf') {
    const pdf = await runActivity(documentsPdfText, { file: ref, detectTables: true });
    if (pdf.hasText) {
      const tables = pdf.pages.flatMap((page) => page.tables);
      const table = largest(tables.map((t) => ({ size: t.rows.length, value: t })));
      const text = pdf.pages.map((p) => p.text).join('\n');
      return table
        ? { table: { source: `PDF page ${table.page}`, columns: table.headers, rows: table.rows }, text }
        : { text };
    }
  }
  // A scan (an image, or a PDF without a text layer): its text, read by OCR.
  const scanned = await runActivity(documentsOcr, { file: ref });
  return { text: scanned.pages.map((p) => p.text).join('\n') };
}

function kindOf(file: BlobRef): 'sheet' | 'pdf' | 'image' {
  const name = (file.name ?? '').toLowerCase();
  if (/\.(xlsx|csv)$/.test(name) || /spreadsheet|csv/.test(file.contentType)) return 'sheet';
  if (name.endsWith('.pdf') || file.contentType === 'application/pdf') return 'pdf';
  return 'image';
}

function largest<T>(candidates: { size: number; value: T }[]): T | undefined {
  return candidates.reduce<{ size: number; value: T } | undefined>(
    (best, c) => (!best || c.size > best.size ? c : best),
    undefined,
  )?.value;
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const field = (value: Cell) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
