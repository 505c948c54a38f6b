import type { BlobStore } from '../../core/blobs/store';
import { ErrorCode, PantheonError } from '../../core/errors';
import { Tool } from '../../core/registry/tool';
import type { DocumentsToolConfig } from './config';
import { documentInvalid } from './errors';
import { findIslands, readIsland } from './islands';
import type {
  FileInput,
  OcrInput,
  OcrOutput,
  ParseEmailInput,
  ParseEmailOutput,
  PdfTextInput,
  PdfTextOutput,
  ReadSheetInput,
  ReadSheetOutput,
  TransformInput,
  TransformOutput,
} from './models';
import type { OcrEngine } from './ocr';
import { describeStart, imageSize, isZip, kindOf, maxImagePixels } from './file-kind';
import { transformRows } from './workflow/transform';

export type DocumentsToolSettings = Pick<
  DocumentsToolConfig,
  'DOCUMENTS_MAX_BYTES' | 'DOCUMENTS_MAX_PAGES' | 'DOCUMENTS_INLINE_ATTACHMENT_BYTES'
>;

const maxSheetOutputChars = 1_500_000;

const base64Text = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * The parsers load on first use: every tier's worker loads every tool, and only the heavy tier's
 * ever runs these, so the light tier never pays for pdf.js, exceljs or tesseract.js.
 */
const pdfModule = () => import('./pdf');
const sheetModule = () => import('./sheet');

/**
 * Reading documents: PDF text and tables (pdf.js), OCR (tesseract.js), spreadsheets and CSV with
 * table islands (exceljs), email (mailparser), and the row transformer. Files come as content
 * (readInput), never as paths. initialize() starts the one OCR worker this instance keeps (only
 * documents.ocr waits for it); close() terminates it.
 */
export class DocumentsTool extends Tool {
  readonly name = 'documents';
  #ocrStarting: Promise<OcrEngine> | undefined;

  constructor(
    private readonly settings: DocumentsToolSettings,
    private readonly blobs?: BlobStore,
  ) {
    super();
  }

  protected override async initialize(): Promise<void> {
    const starting = import('./ocr').then(({ OcrEngine }) => OcrEngine.start());
    this.#ocrStarting = starting;
    // A failed start is retried by the next ready() (Tool); forget it so close() does not wait on it.
    await starting.catch((error: unknown) => {
      if (this.#ocrStarting === starting) this.#ocrStarting = undefined;
      throw error;
    });
  }

  async close(): Promise<void> {
    const starting = this.#ocrStarting;
    this.#ocrStarting = undefined;
    const engine = await starting?.catch(() => undefined);
    await engine?.close();
  }

  /**
   * The one place a file input becomes bytes: a blob reference is read from the blob store
   * (core/blobs, bounded by BLOB_MAX_BYTES, checked against its digest); inline base64 is decoded
   * here, bounded by DOCUMENTS_MAX_BYTES (checked before decoding).
   */
  async readInput(file: FileInput, activity: string): Promise<Uint8Array> {
    const name = file.filename ? ` "${file.filename}"` : '';
    if ('blobRef' in file) {
      if (!this.blobs)
        throw new PantheonError(
          ErrorCode.ConfigInvalid,
          `${activity}: this worker has no blob store to read ${file.blobRef} from`,
        );
      return new Uint8Array(await this.blobs.get(file.blobRef));
    }
    const text = file.base64.replace(/\s+/g, '');
    if (!base64Text.test(text))
      throw new PantheonError(ErrorCode.InvalidInput, `${activity}: file${name} is not valid base64`);
    const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    const size = Math.floor((text.length * 3) / 4) - padding;
    if (size > this.settings.DOCUMENTS_MAX_BYTES)
      throw new PantheonError(
        ErrorCode.InvalidInput,
        `${activity}: file${name} is ${size} bytes, over the inline limit DOCUMENTS_MAX_BYTES (${this.settings.DOCUMENTS_MAX_BYTES}); store it in the blob store and pass { blobRef } instead`,
        { size, limit: this.settings.DOCUMENTS_MAX_BYTES },
      );
    return new Uint8Array(Buffer.from(text, 'base64'));
  }

  /** documents.pdfText */
  async pdfText(input: PdfTextInput): Promise<PdfTextOutput> {
    const activity = 'documents.pdfText';
    const bytes = await this.readInput(input.file, activity);
    if (kindOf(bytes) !== 'pdf')
      throw documentInvalid(activity, `the file is not a PDF (${describeStart(bytes)})`);
    const { extractPdfText, openPdf } = await pdfModule();
    const pdf = await openPdf(bytes, activity);
    try {
      return await extractPdfText(pdf, this.#pages(input.maxPages), input.detectTables, activity);
    } finally {
      await pdf.destroy();
    }
  }

  /** documents.ocr: an image, or each page of a (scanned) PDF rendered and read. */
  async ocr(input: OcrInput): Promise<OcrOutput> {
    const activity = 'documents.ocr';
    const bytes = await this.readInput(input.file, activity);
    const source = kindOf(bytes);
    if (!source || source === 'zip')
      throw documentInvalid(activity, `the file is not a PNG, JPEG or PDF image (${describeStart(bytes)})`);
    const engine = await this.#engine();
    if (source !== 'pdf') {
      const size = imageSize(bytes, source);
      if (size && size.width * size.height > maxImagePixels)
        throw documentInvalid(
          activity,
          `the image is ${size.width}×${size.height} pixels, more than OCR reads (${maxImagePixels}); scale it down first`,
          size,
        );
      const { text, confidence } = await engine.recognize(Buffer.from(bytes), activity);
      return { source, pages: [{ page: 1, text, confidence }], truncated: false };
    }
    const { openPdf, renderPage } = await pdfModule();
    const pdf = await openPdf(bytes, activity);
    try {
      const read = Math.min(this.#pages(input.maxPages), pdf.numPages);
      const pages: OcrOutput['pages'] = [];
      for (let n = 1; n <= read; n++)
        pages.push({
          page: n,
          ...(await engine.recognize(await renderPage(pdf, n, input.scale, activity), activity)),
        });
      return { source, pages, truncated: pdf.numPages > read };
    } finally {
      await pdf.destroy();
    }
  }

  /** documents.readSheet */
  async readSheet(input: ReadSheetInput): Promise<ReadSheetOutput> {
    const activity = 'documents.readSheet';
    const bytes = await this.readInput(input.file, activity);
    const format = input.format ?? (isZip(bytes) ? 'xlsx' : 'csv');
    const { readCsv, readXlsx } = await sheetModule();
    // A small file can hold many cells (xlsx is a zip): the rows stop at ~1.5 MB of JSON, under
    // Temporal's 2 MB payload limit, and the islands cut short say truncated.
    const budget = { chars: maxSheetOutputChars };
    const grids = format === 'xlsx' ? await readXlsx(bytes, input.sheets) : [readCsv(bytes, input.delimiter)];
    return {
      sheets: grids.map((grid) => grid.name),
      islands: grids.flatMap((grid) =>
        findIslands(grid).map((area) => readIsland(grid, area, input.maxRows, budget)),
      ),
    };
  }

  /** documents.parseEmail */
  async parseEmail(input: ParseEmailInput): Promise<ParseEmailOutput> {
    const bytes = await this.readInput(input.file, 'documents.parseEmail');
    const { parseEml } = await import('./email');
    return parseEml(bytes, this.settings.DOCUMENTS_INLINE_ATTACHMENT_BYTES);
  }

  /** documents.transform: the pure transformer (workflow/transform.ts); onError fail stops at the first row error. */
  transform(input: TransformInput): Promise<TransformOutput> {
    const result = transformRows(input);
    const first = result.errors[0];
    if (input.onError === 'fail' && first)
      return Promise.reject(
        documentInvalid(
          'documents.transform',
          `row ${first.row}, rule ${first.rule} (column "${first.column}"): ${first.message}${result.errors.length > 1 ? ` (and ${result.errors.length - 1} more row errors)` : ''}`,
          { errors: result.errors.slice(0, 20) },
        ),
      );
    return Promise.resolve(result);
  }

  async #engine(): Promise<OcrEngine> {
    await this.ready();
    const starting = this.#ocrStarting;
    if (!starting) throw new Error('DocumentsTool.ocr after close()');
    return starting;
  }

  #pages(asked: number | undefined): number {
    return Math.min(asked ?? this.settings.DOCUMENTS_MAX_PAGES, this.settings.DOCUMENTS_MAX_PAGES);
  }
}
