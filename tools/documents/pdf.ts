import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RenderParameters, TextItem } from 'pdfjs-dist/types/src/display/api';
import { documentInvalid, messageOf } from './errors';
import { maxImagePixels } from './file-kind';
import { detectTables, linesOf, pageText } from './pdf-layout';
import type { PlacedText } from './pdf-layout';
import type { PdfTextOutput } from './models';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
/** The 14 standard PDF fonts, from the package (rendering never fetches anything). */
const standardFontDataUrl = `${join(pdfjsRoot, 'standard_fonts')}/`;

/**
 * A PDF opened with pdf.js (the legacy build, for Node), from bytes only. Fonts are never turned
 * into evaluated code (isEvalSupported false). A file pdf.js cannot parse, or one that needs a
 * password, fails for good naming the reason.
 */
export async function openPdf(bytes: Uint8Array, activity: string): Promise<PDFDocumentProxy> {
  try {
    return await getDocument({
      // pdf.js transfers (detaches) the buffer it is given: hand it a copy.
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      standardFontDataUrl,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const reason =
      name === 'PasswordException'
        ? 'the PDF is encrypted with a password'
        : `the file is not a readable PDF (${messageOf(error)})`;
    throw documentInvalid(activity, reason, { cause: name || 'unknown' });
  }
}

async function pageItems(page: PDFPageProxy): Promise<PlacedText[]> {
  const content = await page.getTextContent();
  return content.items
    .filter((item): item is TextItem => 'str' in item)
    .map((item) => ({
      text: item.str,
      x: item.transform[4] as number,
      y: item.transform[5] as number,
      width: item.width,
      size: Math.hypot(item.transform[2] as number, item.transform[3] as number) || item.height || 10,
    }));
}

/**
 * A page of an opened PDF, or a failure naming it: a document whose structure opens may still
 * hold a page pdf.js cannot read (a broken object), and that fails the same way every time.
 */
async function readPage<T>(
  pdf: PDFDocumentProxy,
  n: number,
  activity: string,
  read: (page: PDFPageProxy) => Promise<T>,
): Promise<T> {
  let page: PDFPageProxy | undefined;
  try {
    page = await pdf.getPage(n);
    return await read(page);
  } catch (error) {
    throw documentInvalid(activity, `page ${n} of the PDF could not be read (${messageOf(error)})`, {
      page: n,
    });
  } finally {
    page?.cleanup();
  }
}

/** The text layer of the first `pages` pages, line by line, and the tables found on them. */
export async function extractPdfText(
  pdf: PDFDocumentProxy,
  pages: number,
  withTables: boolean,
  activity: string,
): Promise<PdfTextOutput> {
  const out: PdfTextOutput['pages'] = [];
  const read = Math.min(pages, pdf.numPages);
  for (let n = 1; n <= read; n++) {
    const lines = await readPage(pdf, n, activity, async (page) => linesOf(await pageItems(page)));
    out.push({ page: n, text: pageText(lines), tables: withTables ? detectTables(n, lines) : [] });
  }
  return {
    pageCount: pdf.numPages,
    pages: out,
    truncated: pdf.numPages > read,
    hasText: out.some((page) => page.text.trim() !== ''),
  };
}

/** One page rendered to a PNG (for OCR of a scanned page), with @napi-rs/canvas. */
export function renderPage(
  pdf: PDFDocumentProxy,
  n: number,
  scale: number,
  activity: string,
): Promise<Buffer> {
  return readPage(pdf, n, activity, async (page) => {
    // A page of any size renders to at most maxImagePixels (a huge page is scaled down to fit).
    const natural = page.getViewport({ scale: 1 });
    const fit = Math.sqrt(maxImagePixels / (natural.width * natural.height));
    const viewport = page.getViewport({ scale: Math.min(scale, fit) });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    // Scans are dark on light: paint the page white first (a canvas starts transparent).
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    // @napi-rs/canvas implements the part of the DOM canvas pdf.js draws with (its Node path).
    const target = { canvas, canvasContext: context } as unknown as Pick<
      RenderParameters,
      'canvas' | 'canvasContext'
    >;
    await page.render({ ...target, viewport }).promise;
    return canvas.toBuffer('image/png');
  });
}
