import { describe, expect, it } from 'vitest';
import { transformInput } from '../models';
import { transformRows } from './transform';

const rows = [
  { 'First Name': 'Ada', last: 'Lovelace', amount: '1,200.50', qty: '2', paid: 'yes', due: '2026-01-31' },
  { 'First Name': 'Alan', last: 'Turing', amount: 'n/a', qty: '3', paid: 'no', due: '2026-02-30' },
  { 'First Name': 'Grace', last: null, amount: '99', qty: '0', paid: 'maybe', due: '' },
];

describe('transformRows', () => {
  it('renames, casts, derives, drops and filters in order, reporting bad values per row', () => {
    const input = transformInput.parse({
      rows,
      rules: [
        { op: 'rename', from: 'First Name', to: 'first' },
        { op: 'cast', column: 'amount', to: 'number' },
        { op: 'cast', column: 'qty', to: 'number' },
        { op: 'cast', column: 'paid', to: 'boolean' },
        { op: 'cast', column: 'due', to: 'date' },
        {
          op: 'derive',
          column: 'unit',
          expression: {
            kind: 'arithmetic',
            op: 'divide',
            left: { kind: 'column', name: 'amount' },
            right: { kind: 'column', name: 'qty' },
          },
        },
        { op: 'derive', column: 'name', expression: { kind: 'template', template: '{first} {last}' } },
        {
          op: 'derive',
          column: 'label',
          expression: {
            kind: 'concat',
            separator: '-',
            parts: [
              {
                kind: 'coalesce',
                values: [
                  { kind: 'column', name: 'last' },
                  { kind: 'literal', value: '?' },
                ],
              },
              { kind: 'column', name: 'qty' },
            ],
          },
        },
        { op: 'drop', columns: ['last'] },
      ],
    });
    const out = transformRows(input);
    expect(out.rows).toEqual([
      {
        first: 'Ada',
        amount: 1200.5,
        qty: 2,
        paid: true,
        due: '2026-01-31',
        unit: 600.25,
        name: 'Ada Lovelace',
        label: 'Lovelace-2',
      },
      {
        first: 'Alan',
        amount: null,
        qty: 3,
        paid: false,
        due: null,
        unit: null,
        name: 'Alan Turing',
        label: 'Turing-3',
      },
      { first: 'Grace', amount: 99, qty: 0, paid: null, due: null, unit: null, name: 'Grace ', label: '?-0' },
    ]);
    expect(out.columns).toEqual(['first', 'amount', 'qty', 'paid', 'due', 'unit', 'name', 'label']);
    expect(out.errors).toEqual([
      { row: 1, rule: 1, column: 'amount', value: 'n/a', message: '"n/a" is not a number' },
      { row: 2, rule: 3, column: 'paid', value: 'maybe', message: expect.stringContaining('not a boolean') },
      {
        row: 1,
        rule: 4,
        column: 'due',
        value: '2026-02-30',
        message: expect.stringContaining('not an ISO 8601 date'),
      },
      { row: 2, rule: 5, column: 'unit', value: 99, message: 'divide: division by zero' },
    ]);
  });

  it('filters by equality (keep or drop) and keeps the input row index in errors', () => {
    const out = transformRows(
      transformInput.parse({
        rows: [
          { kind: 'a', v: '1' },
          { kind: 'b', v: 'x' },
          { kind: 'a', v: 'y' },
        ],
        rules: [
          { op: 'filter', column: 'kind', equals: 'a' },
          { op: 'cast', column: 'v', to: 'number' },
        ],
      }),
    );
    expect(out.rows).toEqual([
      { kind: 'a', v: 1 },
      { kind: 'a', v: null },
    ]);
    expect(out.errors).toMatchObject([{ row: 2, column: 'v', value: 'y' }]);
    const dropped = transformRows(
      transformInput.parse({
        rows: [{ k: 1 }, { k: 2 }],
        rules: [{ op: 'filter', column: 'k', equals: 1, keep: false }],
      }),
    );
    expect(dropped.rows).toEqual([{ k: 2 }]);
  });

  it('reads date-times and braces in templates', () => {
    const out = transformRows(
      transformInput.parse({
        rows: [{ at: '2026-03-04 05:06:07Z', n: 5 }],
        rules: [
          { op: 'cast', column: 'at', to: 'date' },
          { op: 'derive', column: 't', expression: { kind: 'template', template: '{{n}} = {n}' } },
          { op: 'cast', column: 'n', to: 'string' },
        ],
      }),
    );
    expect(out.rows).toEqual([{ at: '2026-03-04T05:06:07.000Z', n: '5', t: '{n} = 5' }]);
  });

  it('refuses an unknown cast or rule when the rules are parsed (no code is ever run)', () => {
    const bad = transformInput.safeParse({ rows: [], rules: [{ op: 'cast', column: 'a', to: 'currency' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(
      /unknown cast: expected one of number, date, boolean, string/,
    );
    expect(
      transformInput.safeParse({
        rows: [],
        rules: [{ op: 'derive', column: 'x', expression: 'process.exit()' }],
      }).success,
    ).toBe(false);
    expect(transformInput.safeParse({ rows: [], rules: [{ op: 'eval', code: '1+1' }] }).success).toBe(false);
  });
});
