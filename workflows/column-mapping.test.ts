import { describe, expect, it } from 'vitest';
import { applyMapping, convert } from './column-mapping';

describe('column mapping, applied', () => {
  it('converts values by plain rules', () => {
    expect(convert('1.234,50', 'number')).toBe(1234.5);
    expect(convert('1,234.50', 'number')).toBe(1234.5);
    expect(convert('1 234,5', 'number')).toBe(1234.5);
    expect(convert('(12)', 'number')).toBe(-12);
    expect(convert('$99', 'number')).toBe(99);
    expect(convert('n/a', 'number')).toBeUndefined();
    expect(convert('31/12/2025', 'date')).toBe('2025-12-31');
    expect(convert('2026-1-5', 'date')).toBe('2026-01-05');
    expect(convert('12/31/2025', 'date')).toBe('2025-12-31');
    expect(convert('31/02/2025', 'date')).toBeUndefined();
    expect(convert('Yes', 'boolean')).toBe(true);
    expect(convert('0', 'boolean')).toBe(false);
    expect(convert('maybe', 'boolean')).toBeUndefined();
    expect(convert('  Ana ', 'trim')).toBe('Ana');
    expect(convert(null, 'number')).toBeNull();
  });

  it('trusts only known columns, one source per target, and types a plain copy by the target type', () => {
    const applied = applyMapping(
      { columns: ['A', 'B'], rows: [['x', '7']] },
      [{ name: 'a' }, { name: 'b', type: 'number' }, { name: 'c' }],
      {
        mappings: [
          { target: 'a', source: 'A', transform: 'uppercase', confidence: 1, note: null },
          { target: 'a', source: 'B', transform: 'copy', confidence: 1, note: null },
          { target: 'b', source: 'B', transform: 'copy', confidence: 0.9, note: null },
          { target: 'zz', source: 'A', transform: 'copy', confidence: 1, note: null },
        ],
      },
    );
    expect(applied.rows).toEqual([['X', 7, null]]);
    expect(applied.mapping.map((m) => [m.target, m.source, m.transform])).toEqual([
      ['a', 'A', 'uppercase'],
      ['b', 'B', 'number'],
      ['c', null, 'copy'],
    ]);
    expect(applied.unmapped).toEqual({ target: ['c'], source: [] });
    expect(applied.issues).toEqual([
      'The model mapped "a" twice; kept the first',
      'The model mapped unknown target column "zz"; ignored',
    ]);
  });
});
