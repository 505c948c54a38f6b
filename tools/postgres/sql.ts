import { escapeIdentifier } from 'pg';
import { ErrorCode, PantheonError } from '../../core/errors';

/**
 * A table or column name as a quoted SQL identifier (`"my table"`, embedded quotes doubled), via
 * pg's own `escapeIdentifier`. For the one thing placeholders cannot carry: a name. Values always
 * go in params ($1..$n).
 */
export function identifier(...parts: readonly string[]): string {
  if (parts.length === 0 || parts.some((part) => part.length === 0 || part.includes('\0')))
    throw new PantheonError(ErrorCode.InvalidInput, 'An SQL identifier must be non-empty text without NUL');
  return parts.map((part) => escapeIdentifier(part)).join('.');
}

/** Commands that would end or split the tool's own transaction. */
const transactionControl =
  /^(begin|start|commit|end|rollback|abort|savepoint|release|prepare\s+transaction)\b/i;

/**
 * Refuses SQL with more than one statement: a `;` outside quotes, dollar-quoted bodies and
 * comments, unless only whitespace and comments follow it. (The extended protocol the tool uses
 * refuses several commands too; this names the problem before anything reaches the server.)
 * Also refuses transaction control, which would escape the READ ONLY transaction.
 */
export function assertSingleStatement(sql: string): void {
  const code = stripLiteralsAndComments(sql);
  const end = code.indexOf(';');
  if (end !== -1 && code.slice(end + 1).trim() !== '')
    throw new PantheonError(
      ErrorCode.InvalidInput,
      'postgres: sql holds several statements (";"-separated); send one statement per call, values in params ($1..$n)',
    );
  if (transactionControl.test(code.trim()))
    throw new PantheonError(
      ErrorCode.InvalidInput,
      'postgres: transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...) is refused: each call is its own transaction',
    );
}

const dollarTag = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;
const special = /[-/'"$]/g;

/** The SQL with string literals, quoted identifiers, dollar quotes and comments blanked out. */
function stripLiteralsAndComments(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl;
      out += ' ';
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        const pair = sql.slice(i, i + 2);
        if (pair === '/*' || pair === '*/') {
          depth += pair === '/*' ? 1 : -1;
          i += 2;
        } else i++;
      }
      out += ' ';
    } else if (c === "'" || c === '"') {
      // '' (or "") inside is an escaped quote: the scan just reopens. E'\'' backslash escapes too.
      const escapes = c === "'" && /e/i.test(sql[i - 1] ?? '') && !/\w/.test(sql[i - 2] ?? '');
      i++;
      while (i < sql.length && sql[i] !== c) i += escapes && sql[i] === '\\' ? 2 : 1;
      i++;
      out += ' x ';
    } else if (c === '$') {
      // Sticky, from i: slicing the rest of the SQL at every `$n` made long statements quadratic.
      dollarTag.lastIndex = i;
      const tag = dollarTag.exec(sql);
      if (tag && !/\w/.test(sql[i - 1] ?? '')) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? sql.length : close + tag[0].length;
        out += ' x ';
      } else {
        out += c;
        i++;
      }
    } else {
      // Plain SQL up to the next character that may open a literal or comment, in one slice.
      special.lastIndex = i + 1;
      const next = special.exec(sql)?.index ?? sql.length;
      out += sql.slice(i, next);
      i = next;
    }
  }
  return out;
}
