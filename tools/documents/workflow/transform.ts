import type {
  CellValue,
  Expression,
  Row,
  TransformError,
  TransformInput,
  TransformOutput,
  TransformRule,
} from '../models';

/**
 * The data transformer: declarative rules (tools/documents/models.ts, zod-validated) applied in
 * order to every row. Pure and deterministic — no I/O, no clock, and no code is evaluated: a
 * derived column is an expression *tree* walked here — so it lives in a workflow/ folder and a
 * workflow may call it directly (`transformRows`) as well as through the documents.transform
 * activity, which runs this same function.
 *
 * A value that does not convert (a cast, arithmetic on text) becomes null and is reported as a
 * row error naming the row, the rule, the column and the value; the caller decides (onError).
 */
export function transformRows(input: Pick<TransformInput, 'rows' | 'rules'>): TransformOutput {
  const errors: TransformError[] = [];
  let rows = input.rows.map((row, index) => ({ index, row: { ...row } }));
  input.rules.forEach((rule, ruleIndex) => {
    const fail = (index: number, column: string, value: CellValue, message: string) =>
      errors.push({ row: index, rule: ruleIndex, column, value, message });
    rows = applyRule(rule, rows, fail);
  });
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const { row } of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
  return { rows: rows.map(({ row }) => row), columns, errors };
}

type Indexed = { index: number; row: Row };
type Fail = (index: number, column: string, value: CellValue, message: string) => void;

function applyRule(rule: TransformRule, rows: Indexed[], fail: Fail): Indexed[] {
  switch (rule.op) {
    case 'rename':
      return rows.map(({ index, row }) => ({ index, row: renameKey(row, rule.from, rule.to) }));
    case 'drop':
      return rows.map(({ index, row }) => ({
        index,
        row: Object.fromEntries(Object.entries(row).filter(([key]) => !rule.columns.includes(key))),
      }));
    case 'filter':
      return rows.filter(({ row }) => ((row[rule.column] ?? null) === rule.equals) === rule.keep);
    case 'cast':
      for (const { index, row } of rows) {
        if (!(rule.column in row)) continue;
        const value = row[rule.column] ?? null;
        const result = cast(value, rule.to);
        if ('error' in result) fail(index, rule.column, value, result.error);
        row[rule.column] = 'error' in result ? null : result.value;
      }
      return rows;
    case 'derive':
      for (const { index, row } of rows) {
        const result = evaluate(rule.expression, row);
        if ('error' in result) fail(index, rule.column, result.value ?? null, result.error);
        row[rule.column] = 'error' in result ? null : result.value;
      }
      return rows;
  }
}

/** The row with `from` renamed to `to`, in the same column position. */
function renameKey(row: Row, from: string, to: string): Row {
  if (!(from in row) || from === to) return row;
  return Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => key !== to)
      .map(([key, value]) => [key === from ? to : key, value]),
  );
}

type Result = { value: CellValue } | { error: string; value?: CellValue };

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const truthy = new Set(['true', 'yes', 'y', '1', 'on']);
const falsy = new Set(['false', 'no', 'n', '0', 'off']);

/** One value converted; null and "" stay null (an empty cell is not an error). */
export function cast(value: CellValue, to: 'number' | 'date' | 'boolean' | 'string'): Result {
  if (value === null || value === '') return { value: null };
  switch (to) {
    case 'string':
      return { value: String(value) };
    case 'number': {
      const n = toNumber(value);
      return n === undefined ? { error: `"${String(value)}" is not a number` } : { value: n };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { value };
      const text = String(value).trim().toLowerCase();
      if (truthy.has(text)) return { value: true };
      if (falsy.has(text)) return { value: false };
      return { error: `"${String(value)}" is not a boolean (true/false, yes/no, 1/0)` };
    }
    case 'date': {
      const text = typeof value === 'string' ? value.trim() : '';
      const dateOnly = isoDate.exec(text);
      if (dateOnly) {
        const [, y, m, d] = dateOnly.map(Number);
        const date = new Date(Date.UTC(y!, m! - 1, d));
        if (date.getUTCFullYear() === y && date.getUTCMonth() === m! - 1 && date.getUTCDate() === d)
          return { value: text };
      } else if (isoDateTime.test(text)) {
        const date = new Date(text.replace(' ', 'T'));
        if (!Number.isNaN(date.getTime())) return { value: date.toISOString() };
      }
      return { error: `"${String(value)}" is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z])` };
    }
  }
}

/** A number, or numeric text ("1,200.50", " 42 "); anything else is undefined. */
function toNumber(value: CellValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/(?<=\d),(?=\d{3}\b)/g, '');
  return numberPattern.test(text) ? Number(text) : undefined;
}

/** An expression over one row; the tree is data, walked here (nothing is evaluated as code). */
export function evaluate(expression: Expression, row: Row): Result {
  switch (expression.kind) {
    case 'column':
      return { value: row[expression.name] ?? null };
    case 'literal':
      return { value: expression.value };
    case 'arithmetic': {
      const left = evaluate(expression.left, row);
      if ('error' in left) return left;
      const right = evaluate(expression.right, row);
      if ('error' in right) return right;
      if (left.value === null || right.value === null) return { value: null };
      const a = toNumber(left.value);
      const b = toNumber(right.value);
      if (a === undefined)
        return { error: `${expression.op}: "${String(left.value)}" is not a number`, value: left.value };
      if (b === undefined)
        return { error: `${expression.op}: "${String(right.value)}" is not a number`, value: right.value };
      if (expression.op === 'divide' && b === 0) return { error: 'divide: division by zero', value: a };
      const result =
        expression.op === 'add'
          ? a + b
          : expression.op === 'subtract'
            ? a - b
            : expression.op === 'multiply'
              ? a * b
              : a / b;
      return { value: result };
    }
    case 'concat': {
      const parts: string[] = [];
      for (const part of expression.parts) {
        const result = evaluate(part, row);
        if ('error' in result) return result;
        parts.push(result.value === null ? '' : String(result.value));
      }
      return { value: parts.join(expression.separator ?? '') };
    }
    case 'template':
      return { value: fillTemplate(expression.template, row) };
    case 'coalesce':
      for (const candidate of expression.values) {
        const result = evaluate(candidate, row);
        if ('error' in result) return result;
        if (result.value !== null && result.value !== '') return result;
      }
      return { value: null };
  }
}

/** "{first} {last}" filled from the row (a missing or null column is ""); {{ and }} are braces. */
function fillTemplate(template: string, row: Row): string {
  return template.replace(/\{\{|\}\}|\{([^{}]+)\}/g, (match, name: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const value = row[name!.trim()] ?? null;
    return value === null ? '' : String(value);
  });
}
