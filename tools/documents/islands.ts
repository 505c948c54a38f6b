import type { CellValue, Row, SheetIsland } from './models';

/** A rectangle of cells, 0-based and inclusive. */
export interface Area {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/**
 * One sheet as a dense grid: `cells[r][c]` (0-based, null when empty), merged ranges already
 * expanded (every cell of a merge holds the merge's value), and the merges themselves.
 */
export interface Grid {
  readonly name: string;
  readonly cells: readonly (readonly CellValue[])[];
  readonly merges: readonly Area[];
}

/** "A", "B", …, "Z", "AA" for a 0-based column. */
export function columnName(column: number): string {
  let name = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export function a1(area: Area): string {
  return `${columnName(area.left)}${area.top + 1}:${columnName(area.right)}${area.bottom + 1}`;
}

const numeric = /^\s*[+-]?[\d.,]+\s*%?\s*$/;
const isoDate = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

/** Header-like: text that is not a number or a date. */
function isLabel(value: CellValue): boolean {
  return typeof value === 'string' && value.trim() !== '' && !numeric.test(value) && !isoDate.test(value);
}

/**
 * The islands of a grid: groups of non-empty cells touching each other (8 neighbours), so tables
 * separated by at least one empty row or column come apart. Each island's bounding box is taken
 * (boxes that overlap are joined), then read as a table: see readIsland. Top to bottom, left to right.
 */
export function findIslands(grid: Grid): Area[] {
  const { cells } = grid;
  const seen = cells.map((row) => row.map(() => false));
  const areas: Area[] = [];
  cells.forEach((row, r) =>
    row.forEach((value, c) => {
      if (value === null || seen[r]![c]) return;
      let top = r;
      let left = c;
      let bottom = r;
      let right = c;
      const stack: [number, number][] = [[r, c]];
      seen[r]![c] = true;
      while (stack.length > 0) {
        const [y, x] = stack.pop()!;
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const ny = y + dy;
            const nx = x + dx;
            if (cells[ny]?.[nx] === undefined || cells[ny][nx] === null || seen[ny]![nx]) continue;
            seen[ny]![nx] = true;
            stack.push([ny, nx]);
          }
      }
      areas.push({ top, left, bottom, right });
    }),
  );
  return joinOverlapping(areas).sort((a, b) => a.top - b.top || a.left - b.left);
}

function joinOverlapping(areas: Area[]): Area[] {
  const out = [...areas];
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < out.length && !changed; i++)
      for (let j = i + 1; j < out.length && !changed; j++) {
        const a = out[i]!;
        const b = out[j]!;
        if (a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom) {
          out[i] = {
            top: Math.min(a.top, b.top),
            left: Math.min(a.left, b.left),
            bottom: Math.max(a.bottom, b.bottom),
            right: Math.max(a.right, b.right),
          };
          out.splice(j, 1);
          changed = true;
        }
      }
  }
  return out;
}

/** Characters of JSON rows left for the whole result, shared by every island (Temporal's payload limit). */
export interface OutputBudget {
  chars: number;
}

/**
 * One island as a table. Its first row is the header when every cell in it is a label (text, not
 * a number or date) and data follows; a merged cell in that row (a group header such as "Q1" over
 * Jan/Feb/Mar, or "Region" merged down) makes the next row a header too when it is all labels.
 * Stacked headers join with " / "; a column without one is named by its letter; names are unique.
 */
export function readIsland(
  grid: Grid,
  area: Area,
  maxRows: number,
  budget: OutputBudget = { chars: Infinity },
): SheetIsland {
  const rowAt = (r: number) => grid.cells[r]!.slice(area.left, area.right + 1);
  const height = area.bottom - area.top + 1;
  const labelsOnly = (r: number) => {
    const row = rowAt(r);
    return row.some((v) => v !== null) && row.every((v) => v === null || isLabel(v));
  };
  let headerRows = height > 1 && labelsOnly(area.top) ? 1 : 0;
  const mergedInFirst = grid.merges.some(
    (m) =>
      m.top === area.top &&
      m.left >= area.left &&
      m.right <= area.right &&
      (m.right > m.left || m.bottom > m.top),
  );
  if (headerRows === 1 && mergedInFirst && height > 2 && labelsOnly(area.top + 1)) headerRows = 2;

  const used = new Map<string, number>();
  const headers = rowAt(area.top).map((_, i) => {
    const parts: string[] = [];
    for (let r = area.top; r < area.top + headerRows; r++) {
      const value = grid.cells[r]![area.left + i];
      const text = value === null || value === undefined ? '' : String(value).trim();
      if (text !== '' && parts.at(-1) !== text) parts.push(text);
    }
    const base = parts.join(' / ') || columnName(area.left + i);
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });

  const rows: Row[] = [];
  let truncated = false;
  for (let r = area.top + headerRows; r <= area.bottom; r++) {
    const values = rowAt(r);
    if (values.every((v) => v === null)) continue;
    const row = Object.fromEntries(headers.map((header, i) => [header, values[i] ?? null]));
    const size = JSON.stringify(row).length + 1;
    if (rows.length === maxRows || size > budget.chars) {
      truncated = true;
      break;
    }
    budget.chars -= size;
    rows.push(row);
  }
  return { sheet: grid.name, range: a1(area), headerRows, headers, rows, truncated };
}
