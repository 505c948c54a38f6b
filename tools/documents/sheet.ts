import ExcelJS from 'exceljs';
import { documentInvalid, messageOf } from './errors';
import type { Area, Grid } from './islands';
import type { CellValue } from './models';
import { isZip } from './file-kind';

const activity = 'documents.readSheet';
/** Refuse sheets whose used area is larger than this many cells (a sparse sheet's far corner). */
const maxCells = 2_000_000;

/** The worksheets of an xlsx workbook (exceljs) as grids, merged cells expanded. */
export async function readXlsx(bytes: Uint8Array, only?: readonly string[]): Promise<Grid[]> {
  if (!isZip(bytes)) throw documentInvalid(activity, 'the file is not an xlsx workbook (not a zip archive)');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    throw documentInvalid(activity, `the file is not a readable xlsx workbook (${messageOf(error)})`);
  }
  const names = workbook.worksheets.map((sheet) => sheet.name);
  const missing = (only ?? []).filter((name) => !names.includes(name));
  if (missing.length > 0)
    throw documentInvalid(
      activity,
      `no worksheet named ${missing.join(', ')}; the workbook has ${names.join(', ')}`,
    );
  return workbook.worksheets
    .filter((sheet) => !only || only.includes(sheet.name))
    .map((sheet) => {
      const rows = sheet.rowCount;
      const columns = sheet.columnCount;
      if (rows * columns > maxCells)
        throw documentInvalid(
          activity,
          `worksheet "${sheet.name}" spans ${rows}×${columns} cells (at most ${maxCells})`,
        );
      // A merged cell's followers read as its master's value: the merge comes out expanded.
      const cells = Array.from({ length: rows }, (_, r) =>
        Array.from({ length: columns }, (_, c) => cellValue(sheet.getCell(r + 1, c + 1).value)),
      );
      const merges = (sheet.model.merges ?? []).map(parseRange);
      return { name: sheet.name, cells, merges };
    });
}

/** An exceljs cell value as JSON: formulas by their result, rich text and links by their text. */
function cellValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellValue(value.result ?? null);
  if ('formula' in value || 'sharedFormula' in value) return null;
  if ('hyperlink' in value) return cellValue(value.text);
  if ('error' in value) return value.error;
  return null;
}

/** "B2:D4" as a 0-based area. */
function parseRange(range: string): Area {
  const [from, to = from] = range.split(':') as [string, string?];
  const a = parseAddress(from);
  const b = parseAddress(to);
  return { top: a.row, left: a.column, bottom: b.row, right: b.column };
}

function parseAddress(address: string): { row: number; column: number } {
  const match = /^\$?([A-Z]+)\$?(\d+)$/.exec(address.toUpperCase());
  if (!match) throw documentInvalid(activity, `unreadable cell range "${address}" in the workbook`);
  const column = [...match[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { row: Number(match[2]) - 1, column };
}

/**
 * A CSV file (RFC 4180: quoted fields, "" for a quote, CRLF or LF) as one grid named "csv". Cells
 * stay text (a CSV has no types: "007" is not 7), empty fields are null. UTF-8, with a BOM or
 * not; text that is not UTF-8 is read as Latin-1. Binary content (NUL bytes) is refused.
 */
export function readCsv(bytes: Uint8Array, delimiter?: string): Grid {
  if (bytes.includes(0))
    throw documentInvalid(activity, 'the file is binary, not CSV text (it holds NUL bytes)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('latin1').decode(bytes);
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const separator = delimiter ?? guessDelimiter(text);
  const records = parseCsv(text, separator);
  const width = Math.max(0, ...records.map((record) => record.length));
  if (records.length * width > maxCells)
    throw documentInvalid(activity, `the CSV spans ${records.length}×${width} cells (at most ${maxCells})`);
  const cells = records.map((record) =>
    Array.from({ length: width }, (_, c) => {
      const field = record[c];
      return field === undefined || field.trim() === '' ? null : field;
    }),
  );
  return { name: 'csv', cells, merges: [] };
}

/** The candidate separator found most often in the first line, outside quotes. */
function guessDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0]!.replace(/"[^"]*"/g, '');
  const candidates = [',', ';', '\t', '|'];
  const counts = candidates.map((c) => firstLine.split(c).length - 1);
  const best = Math.max(...counts);
  return best === 0 ? ',' : candidates[counts.indexOf(best)]!;
}

function parseCsv(text: string, separator: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === separator) endField();
    else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}
