import { emojiFor } from './emoji';
import { decodeSlackEntities, escapeHtml, safeUrl } from './escape';

/** What rendering needs to know about the workspace: names for ids, and who is looking. */
export interface RenderContext {
  users: Record<string, { name: string; realName: string; isBot?: boolean }>;
  channels: Record<string, string>;
  usergroups: Record<string, string>;
  /** The user viewing the page: their mentions are highlighted, reactions marked as theirs. */
  me?: string;
  /** Formats `<!date^…>` and message times; defaults use the browser's locale. */
  formatDate?: (epochSeconds: number, format: string) => string;
}

export const EMPTY_CONTEXT: RenderContext = { users: {}, channels: {}, usergroups: {} };

const SENTINEL = '\u0000';

/** Renders an emoji shortcode as Slack does (the character, titled with its name), or undefined. */
export function emojiHtml(name: string): string | undefined {
  const char = emojiFor(name);
  return char && `<span class="sk-emoji" title=":${escapeHtml(name)}:">${char}</span>`;
}

/** `:shortcode:` → emoji in already-escaped HTML text (shortcodes contain no HTML-special characters). */
function replaceEmoji(html: string, hold: (fragment: string) => string): string {
  return html.replace(/:([a-z0-9_+'-]+(?:::skin-tone-\d)?):/gi, (whole, name: string) => {
    const rendered = emojiHtml(name.toLowerCase());
    return rendered ? hold(rendered) : whole;
  });
}

/** Plain text (`plain_text` objects, labels): escaped, newlines kept, emoji shortcodes unless `emoji: false`. */
export function renderPlain(text: string, emoji = true): string {
  const held: string[] = [];
  const hold = (fragment: string): string => `${SENTINEL}${held.push(fragment) - 1}${SENTINEL}`;
  let html = escapeHtml(text.replaceAll(SENTINEL, ''));
  if (emoji) html = replaceEmoji(html, hold);
  html = html.replace(/\n/g, '<br>');
  return restore(html, held);
}

function restore(html: string, held: string[]): string {
  // Restores nested holds too (an emoji inside a link label).
  let out = html;
  for (let i = 0; i < 3 && out.includes(SENTINEL); i++)
    // eslint-disable-next-line no-control-regex -- NUL delimits placeholders (stripped from input)
    out = out.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)] ?? '');
  return out;
}

function userName(id: string, ctx: RenderContext, label?: string): string {
  const user = ctx.users[id];
  return user?.name ?? label?.replace(/^@/, '') ?? id;
}

function defaultFormatDate(epochSeconds: number, format: string): string {
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return '';
  const dateLong = date.toLocaleDateString('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  });
  const dateShort = date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
  const time = date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
  const dateNum = date.toISOString().slice(0, 10);
  return format
    .replace(/\{date_num\}/g, dateNum)
    .replace(/\{date_long(_pretty)?\}/g, dateLong)
    .replace(/\{date_short(_pretty)?\}/g, dateShort)
    .replace(/\{date(_pretty)?\}/g, dateLong.replace(/^\w+, /, ''))
    .replace(/\{time(_secs)?\}/g, time)
    .replace(/\{ago\}/g, dateShort);
}

/** One `<…>` token of Slack's message format: a mention, a special mention, a date or a link. */
function renderAngle(inner: string, ctx: RenderContext, hold: (fragment: string) => string): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);

  if (/^@[UW][A-Z0-9_]+$/.test(target)) {
    const id = target.slice(1);
    const me = ctx.me === id ? ' sk-mention-me' : '';
    return `<span class="sk-mention${me}" data-user="${escapeHtml(id)}">@${escapeHtml(userName(id, ctx, label))}</span>`;
  }
  if (/^#[CGD][A-Z0-9_]+$/.test(target)) {
    const id = target.slice(1);
    const name = ctx.channels[id] ?? label ?? id;
    return `<span class="sk-channel-link" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!')) {
    const [command = '', ...rest] = target.slice(1).split('^');
    if (command === 'here' || command === 'channel' || command === 'everyone')
      return `<span class="sk-mention sk-mention-broadcast">@${command}</span>`;
    if (command === 'subteam') {
      const handle = ctx.usergroups[rest[0] ?? ''] ?? label?.replace(/^@/, '') ?? rest[0] ?? '';
      return `<span class="sk-mention sk-mention-group">@${escapeHtml(handle)}</span>`;
    }
    if (command === 'date') {
      const [epoch = '', format = '{date}', link] = rest;
      const formatted = (ctx.formatDate ?? defaultFormatDate)(Number(epoch), format) || label || '';
      const text = escapeHtml(formatted);
      const href = safeUrl(link);
      return href
        ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>`
        : `<span class="sk-date">${text}</span>`;
    }
    return escapeHtml(label ?? `@${command}`);
  }

  const decodedUrl = decodeSlackEntities(target);
  const href = safeUrl(decodedUrl);
  const shown = label ?? decodedUrl.replace(/^mailto:/i, '');
  const labelHtml = replaceEmoji(escapeHtml(decodeSlackEntities(shown)), hold);
  if (!href) return labelHtml;
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${labelHtml}</a>`;
}

// Slack's markers only count at word boundaries: `*bold*` but not `a*b*c` or `snake_case_name`.
const W = '\\p{L}\\p{N}_';
const BOLD = new RegExp(`(^|[^${W}*])\\*(?=\\S)([^*\\n]*?\\S)\\*(?![${W}*])`, 'gu');
const ITALIC = new RegExp(`(^|[^${W}])_(?=\\S)([^_\\n]*?\\S)_(?![${W}])`, 'gu');
const STRIKE = new RegExp(`(^|[^${W}~])~(?=\\S)([^~\\n]*?\\S)~(?![${W}~])`, 'gu');

/**
 * Slack's `mrkdwn` as HTML: ```code blocks```, `code`, <links|labels>, <@U…> / <#C…> / <!here>
 * mentions, *bold*, _italic_, ~strike~, > quotes, :emoji: and line breaks. The app's text is
 * Slack-escaped (&amp; &lt; &gt;); anything else that looks like HTML is shown, never interpreted.
 */
export function renderMrkdwn(text: string, ctx: RenderContext = EMPTY_CONTEXT): string {
  const held: string[] = [];
  const hold = (fragment: string): string => `${SENTINEL}${held.push(fragment) - 1}${SENTINEL}`;
  let work = String(text ?? '').replaceAll(SENTINEL, '');

  work = work.replace(/```([\s\S]*?)```/g, (_, code: string) =>
    hold(
      `<pre class="sk-pre">${escapeHtml(decodeSlackEntities(code.replace(/^\n/, '').replace(/\n$/, '')))}</pre>`,
    ),
  );
  work = work.replace(/`([^`\n]+)`/g, (_, code: string) =>
    hold(`<code class="sk-code">${escapeHtml(decodeSlackEntities(code))}</code>`),
  );
  work = work.replace(/<([^<>\n]+)>/g, (_, inner: string) => hold(renderAngle(inner, ctx, hold)));

  let html = escapeHtml(decodeSlackEntities(work));
  html = replaceEmoji(html, hold);
  html = html
    .replace(BOLD, (_, pre: string, body: string) => `${pre}<b>${body}</b>`)
    .replace(ITALIC, (_, pre: string, body: string) => `${pre}<i>${body}</i>`)
    .replace(STRIKE, (_, pre: string, body: string) => `${pre}<s>${body}</s>`);

  // Quotes: consecutive lines starting with ">" become one blockquote.
  const out: string[] = [];
  let quote: string[] | undefined;
  const lines = html.split('\n');
  lines.forEach((line, i) => {
    const quoted = /^&gt;\s?/.exec(line);
    if (quoted) {
      (quote ??= []).push(line.slice(quoted[0].length));
      return;
    }
    if (quote) {
      out.push(`<blockquote class="sk-quote">${quote.join('<br>')}</blockquote>`);
      quote = undefined;
    }
    out.push(line + (i < lines.length - 1 ? '<br>' : ''));
  });
  if (quote) out.push(`<blockquote class="sk-quote">${quote.join('<br>')}</blockquote>`);
  return restore(out.join(''), held);
}

/** A Block Kit text object: `mrkdwn` (unless `verbatim`, links and mentions are parsed) or `plain_text`. */
export function renderTextObject(value: unknown, ctx: RenderContext = EMPTY_CONTEXT): string {
  if (typeof value === 'string') return renderMrkdwn(value, ctx);
  if (!value || typeof value !== 'object') return '';
  const object = value as { type?: string; text?: unknown; emoji?: boolean };
  const text = typeof object.text === 'string' ? object.text : '';
  return object.type === 'mrkdwn' ? renderMrkdwn(text, ctx) : renderPlain(text, object.emoji !== false);
}

/** A text object as plain text (for attributes, titles and `<option>`s). */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string')
    return (value as { text: string }).text;
  return '';
}
