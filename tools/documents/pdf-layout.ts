import type { PdfTable } from './models';

/** A run of text on a page, as pdf.js gives it: text, left x, baseline y, width, font size. */
export interface PlacedText {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly size: number;
}

/** A line of a page: its cells (text separated by a wide gap), left to right. */
export interface PageLine {
  readonly y: number;
  readonly size: number;
  readonly cells: readonly { text: string; x: number; end: number }[];
}

/**
 * The page's text as lines, top to bottom: runs on the same baseline (within a third of the font
 * size) form a line; a gap wider than the font size starts a new cell.
 */
export function linesOf(items: readonly PlacedText[]): PageLine[] {
  const sorted = items.filter((item) => item.text.trim() !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: PlacedText[][] = [];
  for (const item of sorted) {
    const last = groups.at(-1);
    if (last && Math.abs(last[0]!.y - item.y) <= Math.max(last[0]!.size, item.size) / 3) last.push(item);
    else groups.push([item]);
  }
  return groups.map((group) => {
    const runs = [...group].sort((a, b) => a.x - b.x);
    const size = Math.max(...runs.map((run) => run.size));
    const cells: { text: string; x: number; end: number }[] = [];
    for (const run of runs) {
      const cell = cells.at(-1);
      const gap = cell ? run.x - cell.end : Infinity;
      if (cell && gap <= size) {
        cell.text +=
          gap > size * 0.15 && !cell.text.endsWith(' ') && !run.text.startsWith(' ')
            ? ` ${run.text}`
            : run.text;
        cell.end = Math.max(cell.end, run.x + run.width);
      } else cells.push({ text: run.text, x: run.x, end: run.x + run.width });
    }
    for (const cell of cells) cell.text = cell.text.trim();
    return { y: group[0]!.y, size, cells };
  });
}

/** The page text: one line a line, cells separated by tabs. */
export function pageText(lines: readonly PageLine[]): string {
  return lines.map((line) => line.cells.map((cell) => cell.text).join('\t')).join('\n');
}

/**
 * Tables on a page: a line of two or more cells starts one (its cells are the headers and set the
 * columns); the lines right below it that have two or more cells, each falling in a different
 * column, are its rows. A table needs a header and at least one row.
 */
export function detectTables(page: number, lines: readonly PageLine[]): PdfTable[] {
  const tables: PdfTable[] = [];
  let i = 0;
  while (i < lines.length) {
    const head = lines[i]!;
    if (head.cells.length < 2) {
      i++;
      continue;
    }
    const starts = head.cells.map((cell) => cell.x);
    const rows: string[][] = [];
    let previous = head;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (previous.y - line.y > Math.max(previous.size, line.size) * 2.5) break;
      const row = placeInColumns(line, starts);
      if (!row) break;
      rows.push(row);
      previous = line;
    }
    if (rows.length > 0) {
      tables.push({ page, headers: head.cells.map((cell) => cell.text), rows });
      i = j;
    } else i++;
  }
  return tables;
}

/** The line's cells by column (the column whose span holds the cell's middle), or undefined. */
function placeInColumns(line: PageLine, starts: readonly number[]): string[] | undefined {
  if (line.cells.length < 2) return undefined;
  const row: (string | undefined)[] = starts.map(() => undefined);
  const slack = line.size;
  for (const cell of line.cells) {
    const middle = (cell.x + cell.end) / 2;
    if (cell.x < starts[0]! - slack) return undefined;
    let column = 0;
    while (column + 1 < starts.length && middle >= starts[column + 1]! - slack) column++;
    if (row[column] !== undefined) return undefined;
    row[column] = cell.text;
  }
  return row.map((cell) => cell ?? '');
}
