/**
 * Text as a pattern matcher should see it: the tricks that hide a phrase from a regex but not from
 * a model are undone. NFKC (full-width and mathematical letters, ligatures), invisible characters
 * dropped (zero-width, bidi controls, soft hyphens), look-alike Cyrillic and Greek letters folded to
 * Latin, accents removed (`précédentes` → `precedentes`), typographic apostrophes made plain.
 * Only for matching: the text sent to the model is never rewritten. Pure, workflow-safe.
 */

// Zero-width and joiner characters, bidi embeddings/overrides/isolates, soft hyphen, word joiner,
// invisible operators, BOM, Mongolian vowel separator, Hangul fillers. (Invisible combining marks
// such as the grapheme joiner U+034F go with the accents below.)
const invisible =
  /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]/g;

/** Cyrillic and Greek letters that render like Latin ones (the common confusables). */
const confusables: Readonly<Record<string, string>> = {
  // Cyrillic lower case
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  һ: 'h',
  ӏ: 'l',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  ү: 'y',
  ԍ: 'g',
  // Cyrillic upper case
  А: 'A',
  В: 'B',
  Е: 'E',
  Ё: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  Ѕ: 'S',
  І: 'I',
  Ї: 'I',
  Ј: 'J',
  Һ: 'H',
  Ӏ: 'I',
  Ԁ: 'D',
  Ԛ: 'Q',
  Ԝ: 'W',
  Ү: 'Y',
  // Greek lower case
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ς: 's',
  γ: 'y',
  // Greek upper case
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  // Apostrophes and quotes
  '\u2018': "'",
  '\u2019': "'",
  '\u02BC': "'",
  '\u2032': "'",
  '\u00B4': "'",
  '`': "'",
};
const confusable = new RegExp(`[${Object.keys(confusables).join('')}]`, 'g');

export function normalizeForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .replace(invisible, '')
    .replace(confusable, (c) => confusables[c] ?? c)
    .normalize('NFD')
    .replace(/\p{Mn}+/gu, '')
    .normalize('NFC');
}
