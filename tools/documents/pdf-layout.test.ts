import { describe, expect, it } from 'vitest';
import { detectTables, linesOf, pageText } from './pdf-layout';
import type { PlacedText } from './pdf-layout';

/** A run of 10-point text; width 6 points a character. */
const run = (text: string, x: number, y: number): PlacedText => ({
  text,
  x,
  y,
  width: text.length * 6,
  size: 10,
});

describe('pdf layout', () => {
  it('joins runs on one baseline, splits cells at wide gaps, orders lines top to bottom', () => {
    const lines = linesOf([
      run('world', 100, 700),
      run('Hello', 62, 701),
      run('second', 50, 680),
      run('cell', 200, 680),
      run('  ', 300, 680),
    ]);
    expect(pageText(lines)).toBe('Hello world\nsecond\tcell');
  });

  it('finds a table with empty and right-aligned cells, ending at a line that does not fit', () => {
    const lines = linesOf([
      run('Name', 50, 700),
      run('Amount', 200, 700),
      run('Note', 300, 700),
      run('ann', 50, 686),
      run('1200.00', 206, 686),
      run('late', 300, 686),
      run('bob', 50, 672),
      run('5.00', 224, 672),
      run('Summary: two rows only', 50, 640),
    ]);
    expect(detectTables(3, lines)).toEqual([
      {
        page: 3,
        headers: ['Name', 'Amount', 'Note'],
        rows: [
          ['ann', '1200.00', 'late'],
          ['bob', '5.00', ''],
        ],
      },
    ]);
  });

  it('finds no table in prose, nor in a header without rows', () => {
    const prose = linesOf([run('One line of text.', 50, 700), run('Another line.', 50, 686)]);
    expect(detectTables(1, prose)).toEqual([]);
    const lonely = linesOf([run('a', 50, 700), run('b', 200, 700), run('far below', 50, 500)]);
    expect(detectTables(1, lonely)).toEqual([]);
  });
});
