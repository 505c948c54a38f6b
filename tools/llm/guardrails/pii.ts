import type { PiiKind } from '../models';

/**
 * PII redaction before text leaves for a provider. Each distinct value gets a numbered placeholder
 * ([EMAIL_1], [CARD_2]) kept in a per-call vault, so answers can be mapped back for the kinds that
 * are safe to restore, and equal requests still redact to equal text (and cache keys).
 */
export class PiiVault {
  readonly #placeholderByValue = new Map<string, string>();
  readonly #valueByPlaceholder = new Map<string, { kind: PiiKind; value: string }>();
  readonly #counts: Partial<Record<PiiKind, number>> = {};

  placeholderFor(kind: PiiKind, value: string): string {
    const key = `${kind}\u0000${value}`;
    const known = this.#placeholderByValue.get(key);
    if (known) return known;
    const n = (this.#counts[kind] ?? 0) + 1;
    this.#counts[kind] = n;
    const placeholder = `[${kind.toUpperCase()}_${n}]`;
    this.#placeholderByValue.set(key, placeholder);
    this.#valueByPlaceholder.set(placeholder, { kind, value });
    return placeholder;
  }

  /** Distinct values redacted, by kind. */
  counts(): Partial<Record<PiiKind, number>> {
    return { ...this.#counts };
  }

  get size(): number {
    return this.#valueByPlaceholder.size;
  }

  /** Put back the values of placeholders this vault issued, for the given kinds only. */
  restore(text: string, kinds: ReadonlySet<PiiKind>): string {
    if (this.size === 0 || kinds.size === 0) return text;
    return text.replace(/\[(?:EMAIL|PHONE|CARD|SECRET)_\d+\]/g, (placeholder) => {
      const entry = this.#valueByPlaceholder.get(placeholder);
      return entry && kinds.has(entry.kind) ? entry.value : placeholder;
    });
  }
}

interface Detector {
  readonly kind: PiiKind;
  readonly pattern: RegExp;
  /** Extra check on a match (Luhn, digit counts); false keeps the text. */
  readonly accept?: (match: string) => boolean;
}

// Secrets first (they may contain @ or digit runs), then emails, cards, phones. A capture group,
// when present, is the part to redact ("api_key=<this>").
const detectors: readonly Detector[] = [
  {
    kind: 'secret',
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/g,
  },
  {
    kind: 'secret',
    pattern:
      /\b(?:sk-(?:proj-|ant-|live-)?[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
  },
  { kind: 'secret', pattern: /\bBearer\s+([A-Za-z0-9._~+/-]{16,}=*)/g },
  {
    kind: 'secret',
    pattern: /\b(?:api[_-]?key|secret|token|password|passwd|pwd)["']?\s*[:=]\s*["']?([^\s"',;]{8,})/gi,
  },
  { kind: 'email', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g },
  { kind: 'card', pattern: /\b\d(?:[ -]?\d){12,18}\b/g, accept: (m) => luhn(m.replace(/\D/g, '')) },
  {
    kind: 'phone',
    pattern:
      /(?<![\w+[])(?:\+\d{8,15}|(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?|\d{2,4}[\s.-])\d{2,4}(?:[\s.-]\d{2,4}){0,3})(?![\w\]])/g,
    accept: (m) => {
      const digits = m.replace(/\D/g, '').length;
      // E.164 has at most 15 digits; fewer than 9 is a date or an amount; dotted quads are IPs.
      return digits >= 9 && digits <= 15 && !/^\d{1,3}(?:\.\d{1,3}){3}$/.test(m);
    },
  },
];

/** Replace every detected value of `kinds` in `text` with its placeholder from `vault`. */
export function redactPii(text: string, kinds: ReadonlySet<PiiKind>, vault: PiiVault): string {
  if (kinds.size === 0 || text.length === 0) return text;
  let out = text;
  for (const { kind, pattern, accept } of detectors) {
    if (!kinds.has(kind)) continue;
    out = out.replace(pattern, (match: string, group?: unknown) => {
      if (accept && !accept(match)) return match;
      if (typeof group === 'string' && group) {
        // Only the captured value is secret; keep "api_key=" so the model still understands.
        return match.slice(0, match.lastIndexOf(group)) + vault.placeholderFor(kind, group);
      }
      return vault.placeholderFor(kind, match);
    });
  }
  return out;
}

/** The Luhn checksum card numbers carry; it rules out most random digit runs. */
export function luhn(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
