import { describe, expect, it } from 'vitest';
import { a1, columnName, findIslands, readIsland } from './islands';
import type { Grid } from './islands';
import type { CellValue } from './models';
import { readCsv } from './sheet';

const grid = (rows: CellValue[][], merges: Grid['merges'] = []): Grid => ({ name: 'S', cells: rows, merges });
const _ = null;

describe('islands', () => {
  it('names columns and ranges like a spreadsheet', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    expect(a1({ top: 1, left: 1, bottom: 8, right: 3 })).toBe('B2:D9');
  });

  it('splits tables side by side at an empty column, and keeps a diagonal neighbour in', () => {
    const g = grid([
      ['a', 'b', _, 'x', 'y'],
      [1, 2, _, 'p', 'q'],
      [_, _, 3, _, _],
      [_, _, _, _, _],
      ['lonely', _, _, _, _],
    ]);
    // The 3 at C3 touches B2 and D2 diagonally: it joins the two blocks above it into one island.
    expect(findIslands(g).map(a1)).toEqual(['A1:E3', 'A5:A5']);
    const sideBySide = grid([
      ['a', 'b', _, 'x', 'y'],
      [1, 2, _, 'p', 'q'],
    ]);
    expect(findIslands(sideBySide).map(a1)).toEqual(['A1:B2', 'D1:E2']);
  });

  it('reads the header row, names missing and repeated headers, skips empty rows, caps rows', () => {
    const g = grid([
      ['name', _, 'name', 'n'],
      ['ann', 'x', 'b', 1],
      ['bob', 'y', 'c', 2],
      ['cid', 'z', 'd', 3],
    ]);
    const [area] = findIslands(g);
    expect(readIsland(g, area!, 2)).toEqual({
      sheet: 'S',
      range: 'A1:D4',
      headerRows: 1,
      headers: ['name', 'B', 'name (2)', 'n'],
      rows: [
        { name: 'ann', B: 'x', 'name (2)': 'b', n: 1 },
        { name: 'bob', B: 'y', 'name (2)': 'c', n: 2 },
      ],
      truncated: true,
    });
  });

  it('takes no header when the first row holds numbers or dates, or the island is one row', () => {
    const numbers = grid([
      [1, 2],
      [3, 4],
    ]);
    expect(readIsland(numbers, findIslands(numbers)[0]!, 10)).toMatchObject({
      headerRows: 0,
      headers: ['A', 'B'],
      rows: [
        { A: 1, B: 2 },
        { A: 3, B: 4 },
      ],
    });
    const dated = grid([
      ['2026-01-01', 'x'],
      ['2026-01-02', 'y'],
    ]);
    expect(readIsland(dated, findIslands(dated)[0]!, 10)).toMatchObject({ headerRows: 0 });
    const single = grid([['only', 'labels']]);
    expect(readIsland(single, findIslands(single)[0]!, 10)).toMatchObject({
      headerRows: 0,
      rows: [{ A: 'only', B: 'labels' }],
    });
  });

  it('stacks two header rows only under a merged cell', () => {
    const plain = grid([
      ['kind', 'label'],
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(readIsland(plain, findIslands(plain)[0]!, 10)).toMatchObject({
      headerRows: 1,
      headers: ['kind', 'label'],
    });
    const merged = grid(
      [
        ['Name', 'Contact', 'Contact'],
        ['Name', 'phone', 'mail'],
        ['ann', '123', 'a@x'],
      ],
      [
        { top: 0, left: 1, bottom: 0, right: 2 },
        { top: 0, left: 0, bottom: 1, right: 0 },
      ],
    );
    expect(readIsland(merged, findIslands(merged)[0]!, 10)).toMatchObject({
      headerRows: 2,
      headers: ['Name', 'Contact / phone', 'Contact / mail'],
      rows: [{ Name: 'ann', 'Contact / phone': '123', 'Contact / mail': 'a@x' }],
    });
  });
});

describe('readCsv', () => {
  it('reads quoted newlines, tabs by guess, a BOM and Latin-1', () => {
    const quoted = readCsv(Buffer.from('\uFEFFa,b\n"line 1\nline 2",x\n'));
    expect(quoted.cells).toEqual([
      ['a', 'b'],
      ['line 1\nline 2', 'x'],
    ]);
    expect(readCsv(Buffer.from('a\tb\n1\t2')).cells).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(readCsv(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x78])).cells).toEqual([['café', 'x']]);
  });
});
