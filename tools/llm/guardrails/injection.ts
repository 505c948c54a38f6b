/**
 * Prompt-injection heuristics for untrusted content (emails, web pages, tool results). They flag,
 * never rewrite: a person or the workflow decides what a flag means.
 */
export interface InjectionMatch {
  readonly rule: string;
  readonly excerpt: string;
}

const rules: readonly { rule: string; pattern: RegExp }[] = [
  {
    rule: 'ignore-instructions',
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|system)\b[^.\n]{0,20}?\b(?:instructions?|prompts?|rules|directions|guidelines|context)\b/i,
  },
  {
    rule: 'role-override',
    pattern:
      /\b(?:you are now|from now on,? you (?:are|will)|pretend (?:to be|you are)|act as (?:an? |the )?(?:unrestricted|unfiltered|jailbroken|evil|different))\b/i,
  },
  {
    rule: 'prompt-extraction',
    pattern:
      /\b(?:reveal|show|print|repeat|output|leak|tell me)\b[^.\n]{0,30}?\b(?:system prompt|hidden (?:prompt|instructions)|initial instructions|your (?:instructions|prompt|rules))\b/i,
  },
  {
    rule: 'fake-role-marker',
    pattern:
      /<\|im_start\|>|<\|(?:system|assistant)\|>|\[\/?INST\]|<\/?system>|^\s*(?:#{1,3}\s*)?(?:system|assistant)\s*(?:prompt)?\s*:/im,
  },
  { rule: 'jailbreak', pattern: /\b(?:do anything now|developer mode|jailbreak(?:ed)?|DAN mode)\b/i },
  {
    rule: 'exfiltration',
    pattern:
      /\b(?:send|forward|post|upload|email|exfiltrate)\b[^.\n]{0,40}?\b(?:api[ _-]?keys?|passwords?|credentials|secrets?|tokens?|private keys?)\b/i,
  },
];

/** Every rule that matches `text`, with a short excerpt around the first hit. */
export function detectInjection(text: string): InjectionMatch[] {
  const found: InjectionMatch[] = [];
  for (const { rule, pattern } of rules) {
    const match = pattern.exec(text);
    if (!match) continue;
    const start = Math.max(0, match.index - 20);
    const end = Math.min(text.length, match.index + match[0].length + 20);
    found.push({ rule, excerpt: text.slice(start, end).replace(/\s+/g, ' ').trim() });
  }
  return found;
}
