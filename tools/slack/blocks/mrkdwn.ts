/**
 * Text helpers for Block Kit: escaping, dates, clipping labels and splitting text to Slack's limits
 * (never dropping a character). The one copy of each: every Slack message builds on these.
 */

/** Slack's limits that the builders here respect. */
export const limits = {
  /** A section's text, a context element's text. */
  sectionText: 3000,
  /** A section field. */
  fieldText: 2000,
  /** Fields per section. */
  fields: 10,
  /** A header's plain text (and the default for other plain text). */
  headerText: 150,
  /** A button's label, a select option's text. */
  buttonText: 75,
  /** What a button carries back (`value`). */
  buttonValue: 2000,
  /** An input block's label and hint. */
  inputLabel: 2000,
  /** A modal's title. */
  modalTitle: 24,
  /** Blocks per message. */
  messageBlocks: 50,
} as const;

/** `&`, `<` and `>` are control characters in mrkdwn (links, mentions); everything else is literal enough. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For labels only (headers, titles, buttons), never for output: cuts to `max` with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * `<!date^…>`: Slack shows the time in the reader's time zone, and `fallback` where it cannot
 * (notifications, old clients). `tokens` are Slack's date tokens.
 */
export function slackDate(
  date: Date,
  {
    tokens = '{date_short_pretty} {time}',
    fallback = date.toISOString(),
  }: { readonly tokens?: string; readonly fallback?: string } = {},
): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^${tokens}|${fallback}>`;
}

/**
 * Splits escaped text into chunks of at most `max` characters, at line breaks when it can, and never
 * inside an entity like `&amp;`. Joining the chunks with '' gives back the text.
 */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max - 1) + 1;
    if (cut <= max / 2) {
      cut = max;
      const entity = rest.lastIndexOf('&', cut - 1);
      if (entity > cut - 6 && !rest.slice(entity, cut).includes(';')) cut = entity;
    }
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}

/** Text as ``` code blocks, each fitting in a section; the fences are re-opened across sections. */
export function codeSections(text: string): string[] {
  const fence = '```';
  const room = limits.sectionText - 2 * fence.length - 2;
  return splitText(escapeMrkdwn(text), room).map(
    (chunk) => `${fence}\n${chunk.replace(/\n$/, '')}\n${fence}`,
  );
}
