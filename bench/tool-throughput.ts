/**
 * tool-throughput: the catalogue's data tools through their activities (as a worker runs them:
 * input and output validated by the activity registry) against the same libraries called
 * directly, in the same run. Pages/s for PDF text (pdf.js) and OCR (tesseract.js), rows/s for
 * island detection (CSV) and for Postgres inserts (multi-row INSERT, pg). Goal: the activity
 * overhead ratio ≤ 1.15 on batches. The last line reports the worst of the four.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadConfig } from '../config';
import { ActivityRegistry } from '../core/registry/activity-registry';
import { createDocumentsActivities } from '../tools/documents/activities';
import { findIslands, readIsland } from '../tools/documents/islands';
import { OcrEngine } from '../tools/documents/ocr';
import { extractPdfText, openPdf } from '../tools/documents/pdf';
import { readCsv } from '../tools/documents/sheet';
import { DocumentsTool } from '../tools/documents/tool';
import { createPostgresActivities } from '../tools/postgres/activities';
import { PostgresTool } from '../tools/postgres/tool';
import { percentile, summaryLine } from './stats';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const config = loadConfig({
  PG_TOOL_URL: url,
  PG_TOOL_MAX_ROWS: '10000',
  DOCUMENTS_MAX_BYTES: String(8 * 1024 * 1024),
});
const documents = new DocumentsTool(config);
const postgres = new PostgresTool(config);
const registry = new ActivityRegistry().register(
  ...createDocumentsActivities(documents),
  ...createPostgresActivities(postgres),
);
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Alternates ours and the baseline `rounds` times (after one warm-up each); ms per round. */
async function compare(rounds: number, ours: () => Promise<unknown>, baseline: () => Promise<unknown>) {
  await ours();
  await baseline();
  const times = { ours: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    for (const [key, run] of [
      ['ours', ours],
      ['baseline', baseline],
    ] as const) {
      const started = performance.now();
      await run();
      times[key].push(performance.now() - started);
    }
  }
  return times;
}

const results: { name: string; ratio: number; times: { ours: number[]; baseline: number[] } }[] = [];
function report(name: string, unit: string, perRound: number, times: { ours: number[]; baseline: number[] }) {
  const rate = (samples: number[]) => ((perRound * 1000) / percentile(samples, 50)).toFixed(1);
  const ratio = percentile(times.ours, 50) / percentile(times.baseline, 50);
  results.push({ name, ratio, times });
  console.log(
    `${name}: ${rate(times.ours)} ${unit}/s through the activity, ${rate(times.baseline)} ${unit}/s directly (ratio ${ratio.toFixed(2)})`,
  );
}

// PDF text: a 40-page generated invoice register.
const pages = 40;
const doc = await PDFDocument.create();
const font = await doc.embedFont(StandardFonts.Helvetica);
for (let p = 0; p < pages; p++) {
  const page = doc.addPage([595, 842]);
  for (let line = 0; line < 40; line++)
    page.drawText(
      `INV-${p * 40 + line}    Acme Ltd    2026-0${(line % 9) + 1}-1${line % 10}    ${(line * 37.5).toFixed(2)} EUR`,
      {
        x: 40,
        y: 800 - line * 19,
        size: 10,
        font,
      },
    );
}
const pdfBytes = await doc.save();
report(
  'pdf text',
  'pages',
  pages,
  await compare(
    8,
    () =>
      registry.execute('documents.pdfText', {
        file: { base64: base64(pdfBytes) },
        maxPages: pages,
        detectTables: true,
      }),
    async () => {
      const pdf = await openPdf(new Uint8Array(pdfBytes), 'bench');
      try {
        return await extractPdfText(pdf, pages, true, 'bench');
      } finally {
        await pdf.destroy();
      }
    },
  ),
);

// OCR: the scanned fixture page, a few times (seconds a page).
const scan = readFileSync(new URL('../tools/documents/fixtures/scanned.png', import.meta.url));
const engine = await OcrEngine.start();
report(
  'ocr',
  'pages',
  1,
  await compare(
    5,
    () => registry.execute('documents.ocr', { file: { base64: base64(scan) } }),
    () => engine.recognize(scan, 'bench'),
  ),
);
await engine.close();

// Island detection: a CSV of 10,000 rows × 6 columns (its rows stay under the ~1.5 MB a result may carry).
const csvRows = 10_000;
const csv = Buffer.from(
  [
    'id,name,city,amount,date,paid',
    ...Array.from(
      { length: csvRows },
      (_, i) =>
        `${i},Customer ${i},City ${i % 50},${(i * 1.5).toFixed(2)},2026-01-${(i % 28) + 1},${i % 2 === 0}`,
    ),
  ].join('\n'),
);
report(
  'island detection',
  'rows',
  csvRows,
  await compare(
    8,
    () => registry.execute('documents.readSheet', { file: { base64: base64(csv) }, maxRows: csvRows }),
    async () => {
      const grid = readCsv(new Uint8Array(csv));
      return findIslands(grid).map((area) => readIsland(grid, area, csvRows));
    },
  ),
);

// The documents tool's OCR worker and parsers are done: free them before timing Postgres.
await documents.close();

// Postgres inserts: batches of 5,000 rows in one multi-row INSERT (a call costs ~4 ms more than the
// bare query: its transaction, timeout, cursor and session reset; batches amortize it).
const admin = new pg.Pool({ connectionString: url, max: 2 });
const table = `bench_tool_throughput_${process.pid}`;
await admin.query(`CREATE TABLE ${table} (id bigint, name text, amount numeric)`);
const batch = 5000;
const params = Array.from({ length: batch }, (_, i) => [i, `row ${i}`, i * 1.25]).flat();
const insert = `INSERT INTO ${table} (id, name, amount) VALUES ${Array.from({ length: batch }, (_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ')}`;
try {
  report(
    'postgres inserts',
    'rows',
    batch,
    await compare(
      30,
      () => registry.execute('postgres.execute', { sql: insert, params }),
      () => admin.query(insert, params),
    ),
  );
} finally {
  await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.end();
  await postgres.close();
}

const worst = results.reduce((a, b) => (b.ratio > a.ratio ? b : a));
console.log(`(worst: ${worst.name})`);
console.log(
  summaryLine(
    'tool-throughput',
    worst.times.ours,
    worst.times.baseline,
    'activity overhead ratio ≤ 1.15 on batches',
  ),
);
