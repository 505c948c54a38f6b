/** HTML escaping shared by every renderer: everything the app or a user wrote goes through here. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML content and for double- or single-quoted attribute values. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Slack escapes `&`, `<` and `>` in message text; this undoes it (before re-escaping for HTML). */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>' })[name] ?? '');
}

const SAFE_SCHEMES = /^(https?:|mailto:|tel:)/i;

/**
 * A URL the page may link to or load, or undefined: only http(s), mailto and tel, so an app (or an
 * email) cannot smuggle `javascript:` or `data:` URLs into an href.
 */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  const trimmed = url.trim();
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const compact = trimmed.replace(/[\u0000-\u0020\u007f]/g, '');
  if (!SAFE_SCHEMES.test(compact)) return undefined;
  return trimmed;
}

/** An image source: http(s) URLs and raster data: URLs (never SVG, which can carry script). */
export function safeImageUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  if (/^data:image\/(png|jpe?g|gif|webp);base64,[a-z0-9+/=]+$/i.test(trimmed)) return trimmed;
  return undefined;
}

/** `class="…"` from a list where falsy entries are dropped. */
export function classes(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}
