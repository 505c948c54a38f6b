/** Checks on an answer before it is returned: blocked terms and length. */
export interface OutputRules {
  readonly blockedTerms: readonly string[];
  readonly maxChars?: number;
}

/** One line per violation; empty when the answer passes. */
export function checkOutput(text: string, rules: OutputRules): string[] {
  const violations: string[] = [];
  for (const term of rules.blockedTerms) {
    if (termPattern(term).test(text)) violations.push(`contains blocked term "${term}"`);
  }
  if (rules.maxChars !== undefined && text.length > rules.maxChars) {
    violations.push(`is ${text.length} characters, over the limit of ${rules.maxChars}`);
  }
  return violations;
}

const patterns = new Map<string, RegExp>();

/** Case-insensitive; whole words when the term starts/ends with a word character ("ass" ≠ "class"). */
function termPattern(term: string): RegExp {
  let pattern = patterns.get(term);
  if (!pattern) {
    const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const start = /^\w/.test(term) ? '\\b' : '';
    const end = /\w$/.test(term) ? '\\b' : '';
    pattern = new RegExp(`${start}${escaped}${end}`, 'i');
    patterns.set(term, pattern);
  }
  return pattern;
}
