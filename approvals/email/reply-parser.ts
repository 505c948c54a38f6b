/**
 * Reads a decision out of an email reply. The first meaningful line must be the decision word
 * alone (approve/approved/yes/lgtm or reject/rejected/no, optionally with a full stop or "!"),
 * or the word, a separator (-, :, – or —) and a comment; later lines are comment too. Anything
 * hedged — "approve?", "yes, but …", "I think I approve", "not approve" — is no decision.
 * Quoted history, signatures and mobile footers are cut first.
 */
export interface ParsedReply {
  readonly approve: boolean;
  readonly comment?: string;
}

const approveWords = new Set(['approve', 'approved', 'yes', 'lgtm']);
const rejectWords = new Set(['reject', 'rejected', 'no']);

/** Lines where the reply ends and quoted history or a signature begins. */
const cutMarkers: RegExp[] = [
  /^>/, // quoted text
  /^-- ?$/, // signature delimiter
  /^_{10,}\s*$/, // Outlook's separator
  /^-{2,}\s*(original message|forwarded message)\s*-{2,}/i,
  /^on\s.+wrote:\s*$/i, // Gmail, Apple Mail
  /^le\s.+a écrit\s*:\s*$/i,
  /^am\s.+schrieb.*:\s*$/i,
  /^(from|von|de):\s.+/i, // Outlook's header block
  /^sent from my\s/i,
  /^get outlook for\s/i,
];

function cutHistory(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // "On Tue, … <x@y>\nwrote:" is often wrapped over two lines.
    const joined = `${line} ${lines[i + 1]?.trim() ?? ''}`;
    if (cutMarkers.some((re) => re.test(line)) || (/^on\s/i.test(line) && /wrote:\s*$/i.test(joined))) break;
    kept.push(lines[i]!);
  }
  return kept;
}

/** `**Approve**.` | `reject - too expensive` | `No: vendor not onboarded`; nothing else. */
const decisionLine = /^\s*(\*{0,2})([a-z]+)\1[.!]*\s*(?:$|[-:–—](?:\s+(.*)|\s*$))/i;

export function parseReply(text: string): ParsedReply | undefined {
  const lines = cutHistory(text);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return undefined;
  const match = decisionLine.exec(lines[first]!);
  if (!match) return undefined;
  const word = match[2]!.toLowerCase();
  const approve = approveWords.has(word) ? true : rejectWords.has(word) ? false : undefined;
  if (approve === undefined) return undefined;
  const comment = [match[3] ?? '', ...lines.slice(first + 1)].join('\n').trim();
  return { approve, ...(comment ? { comment } : {}) };
}
