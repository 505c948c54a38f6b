import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { FsBlobBackend } from '../../core/blobs/fs-backend';
import { BlobStore } from '../../core/blobs/store';
import { PantheonError } from '../../core/errors';
import { ActivityRegistry } from '../../core/registry/activity-registry';
import { createDocumentsActivities } from './activities';
import { imageSize } from './file-kind';
import { englishLangPath } from './ocr';
import { DocumentsTool } from './tool';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const file = (content: Buffer | string, filename?: string) => ({
  base64: Buffer.from(content).toString('base64'),
  ...(filename ? { filename } : {}),
});

const blobs = new BlobStore(
  new FsBlobBackend(mkdtempSync(join(tmpdir(), 'documents-blobs-'))),
  10 * 1024 * 1024,
);
const tool = new DocumentsTool(loadConfig({}), blobs);
const registry = new ActivityRegistry().register(...createDocumentsActivities(tool));
afterAll(() => tool.close());

/** The non-retryable failure a bad file gets. */
async function failure(name: string, input: unknown): Promise<ApplicationFailure> {
  const error: unknown = await registry.execute(name, input).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('documents.pdfText (pdf.js)', () => {
  it('extracts each page as lines and finds the table with its header', async () => {
    const result = await registry.execute('documents.pdfText', { file: file(fixture('invoice.pdf')) });
    expect(result).toMatchObject({ pageCount: 2, truncated: false, hasText: true });
    const [first, second] = (result as { pages: { text: string; tables: unknown[] }[] }).pages;
    expect(first!.text.split('\n').slice(0, 3)).toEqual([
      'Invoice 42',
      'Acme Supplies Ltd, billed to Pantheon Inc.',
      'Item\tQuantity\tUnit price\tTotal',
    ]);
    expect(first!.text).toContain('Total due: 216.80 EUR');
    expect(first!.tables).toEqual([
      {
        page: 1,
        headers: ['Item', 'Quantity', 'Unit price', 'Total'],
        rows: [
          ['Paper A4', '10', '4.50', '45.00'],
          ['Toner black', '2', '79.90', '159.80'],
          ['Stapler', '1', '12.00', '12.00'],
        ],
      },
    ]);
    expect(second).toEqual({ page: 2, text: 'Payment within 30 days.', tables: [] });
  });

  it('reads at most maxPages and says a scanned PDF has no text', async () => {
    expect(
      await registry.execute('documents.pdfText', { file: file(fixture('invoice.pdf')), maxPages: 1 }),
    ).toMatchObject({ pageCount: 2, truncated: true, pages: [{ page: 1 }] });
    expect(await registry.execute('documents.pdfText', { file: file(fixture('scanned.pdf')) })).toMatchObject(
      {
        pageCount: 1,
        hasText: false,
        pages: [{ page: 1, text: '', tables: [] }],
      },
    );
  });

  it('fails a corrupt or non-PDF file for good, naming the problem', async () => {
    const truncated = fixture('invoice.pdf').subarray(0, 400);
    expect(await failure('documents.pdfText', { file: file(truncated, 'broken.pdf') })).toMatchObject({
      type: 'DocumentInvalid',
      nonRetryable: true,
      message: expect.stringMatching(/^documents\.pdfText: the file is not a readable PDF/),
    });
    // The structure opens, but a page's object is overwritten: that page fails, for good too.
    const brokenPage = Buffer.from(fixture('invoice.pdf')).fill(0x41, 200, 600);
    expect(await failure('documents.pdfText', { file: file(brokenPage) })).toMatchObject({
      type: 'DocumentInvalid',
      nonRetryable: true,
      message: expect.stringMatching(/^documents\.pdfText: page 2 of the PDF could not be read/),
      details: [{ page: 2 }],
    });
    expect(await failure('documents.pdfText', { file: file('hello, world') })).toMatchObject({
      type: 'DocumentInvalid',
      message: expect.stringContaining('not a PDF (12 bytes starting "hello, w")'),
    });
  });
});

describe('documents.ocr (tesseract.js, traineddata from node_modules)', () => {
  it('reads the words of a scanned PNG', async () => {
    const result = (await registry.execute('documents.ocr', { file: file(fixture('scanned.png')) })) as {
      source: string;
      pages: { text: string; confidence: number }[];
    };
    expect(result.source).toBe('png');
    expect(result.pages[0]!.text).toContain('Delivery note 7781');
    expect(result.pages[0]!.text).toContain('Received by Warehouse Berlin');
    expect(result.pages[0]!.confidence).toBeGreaterThan(70);
  });

  it('reads the size of a PNG and a JPEG from their headers', () => {
    expect(imageSize(fixture('scanned.png'), 'png')).toEqual({ width: 720, height: 280 });
    expect(imageSize(fixture('scanned.jpg'), 'jpeg')).toEqual({ width: 720, height: 280 });
  });

  it('reads a JPEG too', async () => {
    const result = (await registry.execute('documents.ocr', { file: file(fixture('scanned.jpg')) })) as {
      source: string;
      pages: { text: string }[];
    };
    expect(result.source).toBe('jpeg');
    expect(result.pages[0]!.text).toContain('Delivery note 7781');
  });

  it('loads the English model from node_modules and writes no cache (nothing fetched at run time)', () => {
    expect(isAbsolute(englishLangPath)).toBe(true);
    expect(relative(process.cwd(), englishLangPath)).toBe(
      join('node_modules', '@tesseract.js-data', 'eng', '4.0.0_best_int'),
    );
    expect(existsSync(join(englishLangPath, 'eng.traineddata.gz'))).toBe(true);
    // cacheMethod 'none': tesseract.js would otherwise leave eng.traineddata in the working directory.
    expect(existsSync('eng.traineddata')).toBe(false);
  });

  it('renders and reads the pages of a scanned PDF', async () => {
    const result = (await registry.execute('documents.ocr', {
      file: file(fixture('scanned.pdf')),
      scale: 2,
    })) as {
      source: string;
      pages: { page: number; text: string }[];
    };
    expect(result.source).toBe('pdf');
    expect(result.pages).toHaveLength(1);
    expect(result.pages[0]!.text).toMatch(/Delivery note 7781/);
  });

  it('fails what is not an image, and a corrupt PNG, for good', async () => {
    expect(await failure('documents.ocr', { file: file('just some text') })).toMatchObject({
      type: 'DocumentInvalid',
      nonRetryable: true,
      message: expect.stringContaining('documents.ocr: the file is not a PNG, JPEG or PDF image'),
    });
    const corrupt = Buffer.concat([fixture('scanned.png').subarray(0, 64), Buffer.alloc(64, 7)]);
    expect(await failure('documents.ocr', { file: file(corrupt) })).toMatchObject({
      type: 'DocumentInvalid',
      message: expect.stringContaining('documents.ocr: the image could not be read for OCR'),
    });
    // A header claiming 100000 × 100000 pixels is refused before anything decodes it.
    const bomb = Buffer.from(fixture('scanned.png'));
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    expect(await failure('documents.ocr', { file: file(bomb) })).toMatchObject({
      type: 'DocumentInvalid',
      message: expect.stringContaining('the image is 100000×100000 pixels, more than OCR reads'),
    });
    // The worker survives a bad image.
    const again = (await registry.execute('documents.ocr', { file: file(fixture('scanned.png')) })) as {
      pages: { text: string }[];
    };
    expect(again.pages[0]!.text).toContain('Warehouse');
  });
});

describe('documents.readSheet (exceljs, CSV)', () => {
  it('finds both islands of a sheet, the stacked merged header and the dates', async () => {
    const result = await registry.execute('documents.readSheet', { file: file(fixture('workbook.xlsx')) });
    expect(result).toEqual({
      sheets: ['Sales', 'Notes'],
      islands: [
        {
          sheet: 'Sales',
          range: 'B2:E6',
          headerRows: 2,
          headers: ['Region', 'Q1 / Jan', 'Q1 / Feb', 'Q1 / Mar'],
          rows: [
            { Region: 'North', 'Q1 / Jan': 120, 'Q1 / Feb': 135, 'Q1 / Mar': 150 },
            { Region: 'South', 'Q1 / Jan': 98, 'Q1 / Feb': 101, 'Q1 / Mar': 87 },
            { Region: 'West', 'Q1 / Jan': 143, 'Q1 / Feb': 160, 'Q1 / Mar': 171 },
          ],
          truncated: false,
        },
        {
          sheet: 'Sales',
          range: 'B9:D11',
          headerRows: 1,
          headers: ['Name', 'Email', 'Since'],
          rows: [
            { Name: 'Ada Lovelace', Email: 'ada@example.com', Since: '2024-03-01' },
            { Name: 'Alan Turing', Email: 'alan@example.com', Since: '2025-07-15' },
          ],
          truncated: false,
        },
        {
          sheet: 'Notes',
          range: 'A1:A1',
          headerRows: 0,
          headers: ['A'],
          rows: [{ A: 'Figures in thousands of EUR' }],
          truncated: false,
        },
      ],
    });
  });

  it('reads only the sheets asked for, and caps rows', async () => {
    const result = (await registry.execute('documents.readSheet', {
      file: file(fixture('workbook.xlsx')),
      sheets: ['Sales'],
      maxRows: 1,
    })) as { sheets: string[]; islands: { rows: unknown[]; truncated: boolean }[] };
    expect(result.sheets).toEqual(['Sales']);
    expect(result.islands.map((i) => [i.rows.length, i.truncated])).toEqual([
      [1, true],
      [1, true],
    ]);
  });

  it('reads a CSV with quoted fields as two islands of text cells', async () => {
    const result = await registry.execute('documents.readSheet', { file: file(fixture('contacts.csv')) });
    expect(result).toMatchObject({
      sheets: ['csv'],
      islands: [
        {
          range: 'A1:D4',
          headers: ['id', 'name', 'city', 'amount'],
          rows: [
            { id: '1', name: 'Lovelace, Ada', city: 'London', amount: '1,200.50' },
            { id: '2', name: 'Alan Turing', city: 'Wilmslow', amount: '99' },
            { id: '3', name: 'Grace "Amazing" Hopper', city: 'New York', amount: null },
          ],
        },
        {
          range: 'A6:B8',
          headers: ['code', 'label'],
          rows: [{ code: 'EUR', label: 'Euro' }, { code: 'USD' }],
        },
      ],
    });
    const semicolons = await registry.execute('documents.readSheet', { file: file('a;b\n1;2\n') });
    expect(semicolons).toMatchObject({ islands: [{ headers: ['a', 'b'], rows: [{ a: '1', b: '2' }] }] });
  });

  it('stops rows at ~1.5 MB of output (under the Temporal payload limit), marking islands truncated', async () => {
    const columns = Array.from({ length: 10 }, (_, i) => `a rather long column name number ${i}`);
    const csv = [
      columns.join(','),
      ...Array.from({ length: 9000 }, (_, r) => columns.map(() => r).join(',')),
    ];
    const input = Buffer.from(csv.join('\n'));
    expect(input.length).toBeLessThan(1_048_576);
    const result = (await registry.execute('documents.readSheet', { file: file(input) })) as {
      islands: { rows: unknown[]; truncated: boolean }[];
    };
    const [island] = result.islands;
    expect(island!.truncated).toBe(true);
    expect(island!.rows.length).toBeGreaterThan(1000);
    expect(island!.rows.length).toBeLessThan(9000);
    expect(JSON.stringify(result).length).toBeLessThan(1_600_000);
  });

  it('fails a corrupt workbook and an unknown sheet for good', async () => {
    const corrupt = fixture('workbook.xlsx').subarray(0, 2000);
    expect(await failure('documents.readSheet', { file: file(corrupt) })).toMatchObject({
      type: 'DocumentInvalid',
      nonRetryable: true,
      message: expect.stringMatching(/^documents\.readSheet: the file is not a readable xlsx workbook/),
    });
    expect(await failure('documents.readSheet', { file: file('a,b'), format: 'xlsx' })).toMatchObject({
      message: expect.stringContaining('not an xlsx workbook (not a zip archive)'),
    });
    expect(
      await failure('documents.readSheet', { file: file(fixture('workbook.xlsx')), sheets: ['Costs'] }),
    ).toMatchObject({
      message: expect.stringContaining('no worksheet named Costs; the workbook has Sales, Notes'),
    });
    expect(await failure('documents.readSheet', { file: file(Buffer.from([1, 0, 2])) })).toMatchObject({
      message: expect.stringContaining('binary, not CSV text'),
    });
  });
});

describe('documents.parseEmail (mailparser)', () => {
  it('parses addresses, bodies and the PDF attachment, inline when small', async () => {
    const result = (await registry.execute('documents.parseEmail', {
      file: file(fixture('message.eml')),
    })) as Record<string, unknown> & { attachments: { base64?: string }[] };
    expect(result).toMatchObject({
      from: [{ name: 'Acme Billing', address: 'billing@acme.example' }],
      to: [
        { name: 'Pantheon AP', address: 'ap@pantheon.example' },
        { name: '', address: 'finance@pantheon.example' },
      ],
      cc: [{ name: 'Carol', address: 'carol@pantheon.example' }],
      subject: 'Invoice 42 for December',
      date: '2026-01-15T09:30:00.000Z',
      messageId: '<invoice-42@acme.example>',
      text: expect.stringContaining('Total due: 216.80 EUR'),
      html: expect.stringContaining('<b>invoice 42</b>'),
      attachments: [
        {
          filename: 'invoice-42.pdf',
          contentType: 'application/pdf',
          size: fixture('invoice.pdf').length,
          contentId: null,
          contentOmitted: false,
        },
      ],
    });
    expect(Buffer.from(result.attachments[0]!.base64!, 'base64').equals(fixture('invoice.pdf'))).toBe(true);
    // The attachment is a real PDF the tool reads on.
    expect(
      await registry.execute('documents.pdfText', { file: { base64: result.attachments[0]!.base64! } }),
    ).toMatchObject({ pageCount: 2 });
  });

  it('leaves out an attachment over DOCUMENTS_INLINE_ATTACHMENT_BYTES', async () => {
    const small = new DocumentsTool(loadConfig({ DOCUMENTS_INLINE_ATTACHMENT_BYTES: '1000' }));
    const result = await small.parseEmail({ file: file(fixture('message.eml')) });
    expect(result.attachments).toMatchObject([
      { filename: 'invoice-42.pdf', size: 1653, contentOmitted: true },
    ]);
    expect(result.attachments[0]).not.toHaveProperty('base64');
  });

  it('inlines attachments only while the result stays under ~1.5 MB', async () => {
    const composer = new MailComposer({
      from: 'a@example.com',
      subject: 'many',
      text: 'see attached',
      attachments: Array.from({ length: 12 }, (_, i) => ({
        filename: `part-${i}.bin`,
        content: randomBytes(120_000),
      })),
    });
    const eml = await composer.compile().build();
    expect(eml.length).toBeLessThan(loadConfig({}).DOCUMENTS_MAX_BYTES * 2);
    const wide = new DocumentsTool(loadConfig({ DOCUMENTS_MAX_BYTES: String(4 * 1_048_576) }));
    const result = await wide.parseEmail({ file: file(eml) });
    const inline = result.attachments.filter((a) => !a.contentOmitted);
    // 120 KB is 160,000 base64 characters: nine fit in 1.5 MB, the other three are left out.
    expect(inline).toHaveLength(9);
    expect(result.attachments.slice(9).every((a) => a.contentOmitted && a.base64 === undefined)).toBe(true);
    expect(JSON.stringify(result).length).toBeLessThan(1_500_000);
  });

  it('fails an empty file and one without headers for good', async () => {
    expect(await failure('documents.parseEmail', { file: file(' \r\n ') })).toMatchObject({
      type: 'DocumentInvalid',
      nonRetryable: true,
      message: expect.stringContaining('documents.parseEmail: the file is empty'),
    });
    expect(await failure('documents.parseEmail', { file: file('\r\n\r\njust a body') })).toMatchObject({
      message: expect.stringContaining('not an email: it has no headers'),
    });
  });
});

describe('documents.transform', () => {
  it('runs the rules on rows from a sheet', async () => {
    const sheet = (await registry.execute('documents.readSheet', {
      file: file(fixture('contacts.csv')),
    })) as {
      islands: { rows: Record<string, string | null>[] }[];
    };
    const result = await registry.execute('documents.transform', {
      rows: sheet.islands[0]!.rows,
      rules: [
        { op: 'cast', column: 'amount', to: 'number' },
        { op: 'cast', column: 'id', to: 'number' },
        { op: 'derive', column: 'where', expression: { kind: 'template', template: '{name} ({city})' } },
        { op: 'drop', columns: ['city'] },
      ],
    });
    expect(result).toEqual({
      rows: [
        { id: 1, name: 'Lovelace, Ada', amount: 1200.5, where: 'Lovelace, Ada (London)' },
        { id: 2, name: 'Alan Turing', amount: 99, where: 'Alan Turing (Wilmslow)' },
        { id: 3, name: 'Grace "Amazing" Hopper', amount: null, where: 'Grace "Amazing" Hopper (New York)' },
      ],
      columns: ['id', 'name', 'amount', 'where'],
      errors: [],
    });
  });

  it('fails on the first row error with onError fail, and refuses an unknown cast as bad input', async () => {
    expect(
      await failure('documents.transform', {
        rows: [{ a: '1' }, { a: 'x' }, { a: 'y' }],
        rules: [{ op: 'cast', column: 'a', to: 'number' }],
        onError: 'fail',
      }),
    ).toMatchObject({
      type: 'DocumentInvalid',
      nonRetryable: true,
      message: 'documents.transform: row 1, rule 0 (column "a"): "x" is not a number (and 1 more row errors)',
    });
    await expect(
      registry.execute('documents.transform', {
        rows: [],
        rules: [{ op: 'cast', column: 'a', to: 'money' }],
      }),
    ).rejects.toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('unknown cast') });
  });
});

describe('file inputs', () => {
  it('refuses inline content over DOCUMENTS_MAX_BYTES, suggesting a blob reference', async () => {
    const tiny = new ActivityRegistry().register(
      ...createDocumentsActivities(new DocumentsTool(loadConfig({ DOCUMENTS_MAX_BYTES: '1000' }))),
    );
    const error: unknown = await tiny
      .execute('documents.pdfText', { file: file(fixture('invoice.pdf'), 'invoice.pdf') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PantheonError);
    expect(error).toMatchObject({
      code: 'InvalidInput',
      message: expect.stringMatching(
        /"invoice\.pdf" is 1653 bytes, over the inline limit DOCUMENTS_MAX_BYTES \(1000\).*blobRef/,
      ),
    });
  });

  it('reads a blob reference from the blob store, names a missing one, and never takes a path', async () => {
    const csv = await blobs.put(fixture('contacts.csv'), { name: 'contacts.csv' });
    const read = (await registry.execute('documents.readSheet', { file: { blobRef: csv.blobRef } })) as {
      islands: { headers: string[] }[];
    };
    expect(read.islands[0]!.headers).toEqual(['id', 'name', 'city', 'amount']);
    await expect(
      registry.execute('documents.readSheet', { file: { blobRef: `blob:sha256:${'0'.repeat(64)}` } }),
    ).rejects.toMatchObject({ code: 'BlobNotFound' });
    await expect(
      registry.execute('documents.readSheet', { file: { blobRef: 'blob://abc' } }),
    ).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(
      registry.execute('documents.readSheet', { file: { path: '/etc/passwd' } }),
    ).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(
      registry.execute('documents.readSheet', { file: { base64: 'YQ==', path: '/etc/passwd' } }),
    ).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(
      registry.execute('documents.readSheet', { file: { base64: 'not base64!' } }),
    ).rejects.toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('not valid base64') });
  });
});
