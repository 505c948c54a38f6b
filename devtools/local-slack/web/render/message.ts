import type { SlackFile, SlackMessage, SlackView } from '../../types';
import { type BlockRenderOptions, renderAttachments, renderBlocks } from './blocks';
import { emojiFor } from './emoji';
import { classes, escapeHtml, safeUrl } from './escape';
import {
  type RenderContext,
  EMPTY_CONTEXT,
  renderMrkdwn,
  renderPlain,
  renderTextObject,
  textOf,
} from './mrkdwn';

/** Messages, avatars, reactions, thread summaries and modals: the chrome around Block Kit. */

const AVATAR_COLORS = [
  '#e8912d',
  '#2bac76',
  '#1d9bd1',
  '#e01e5a',
  '#8a3c8f',
  '#3f46ad',
  '#c24b7a',
  '#128a8a',
];

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length > 1 ? `${words[0]?.[0] ?? ''}${words.at(-1)?.[0] ?? ''}` : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

/** A square avatar with initials on a colour derived from the user id; the app gets its logo. */
export function renderAvatar(
  userId: string,
  ctx: RenderContext,
  size: 'small' | 'medium' | 'large' = 'large',
): string {
  const user = ctx.users[userId];
  if (user?.isBot)
    return `<span class="avatar avatar-${size} avatar-bot" aria-hidden="true"><svg viewBox="0 0 24 24" width="60%" height="60%"><path fill="currentColor" d="M12 2 3 6.5v2h18v-2L12 2Zm-7 8v8H3v3h18v-3h-2v-8h-3v8h-2.5v-8h-3v8H8v-8H5Z"/></svg></span>`;
  const name = user?.realName || user?.name || userId;
  const color = AVATAR_COLORS[hash(userId) % AVATAR_COLORS.length] ?? '#1d9bd1';
  return `<span class="avatar avatar-${size}" style="background:${color}" aria-hidden="true">${escapeHtml(initials(name))}</span>`;
}

export function displayName(userId: string | undefined, ctx: RenderContext): string {
  if (!userId) return 'Unknown';
  const user = ctx.users[userId];
  return user?.realName || user?.name || userId;
}

/** "10:42 AM" (or Slack's "Yesterday at …" style label with `long`). */
export function formatTs(ts: string, long = false, now = Date.now()): string {
  const date = new Date(Number(ts) * 1000);
  if (Number.isNaN(date.getTime())) return '';
  const time = date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
  if (!long) return time;
  const day = new Date(now);
  const sameDay = (a: Date, b: Date): boolean => a.toDateString() === b.toDateString();
  if (sameDay(date, day)) return `today at ${time}`;
  day.setDate(day.getDate() - 1);
  if (sameDay(date, day)) return `yesterday at ${time}`;
  return `${date.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} at ${time}`;
}

export function reactionGlyph(name: string): string {
  return emojiFor(name) ?? `:${name}:`;
}

function renderReactions(message: SlackMessage, ctx: RenderContext): string {
  const reactions = message.reactions ?? [];
  if (reactions.length === 0) return '';
  const chips = reactions.map((r) => {
    const mine = ctx.me !== undefined && r.users.includes(ctx.me);
    const who = r.users.map((u) => displayName(u, ctx)).join(', ');
    return `<button type="button" class="${classes('reaction', mine && 'reaction-mine')}" data-reaction="${escapeHtml(r.name)}" title="${escapeHtml(`${who} reacted with :${r.name}:`)}" aria-pressed="${mine}"><span class="reaction-emoji">${escapeHtml(reactionGlyph(r.name))}</span><span class="reaction-count">${r.count}</span></button>`;
  });
  return `<div class="reactions">${chips.join('')}<button type="button" class="reaction reaction-add" data-open-picker title="Add reaction">${SMILEY_PLUS}</button></div>`;
}

const SMILEY_PLUS =
  '<svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M9 2.5a6.5 6.5 0 1 0 6.36 7.86.75.75 0 1 1 1.47.3A8 8 0 1 1 9 1a.75.75 0 0 1 0 1.5Zm-2 5a1 1 0 1 1-2 0 1 1 0 0 1 2 0Zm4 1a1 1 0 1 0 0-2 1 1 0 0 0 0 2Zm-5.05 2.1a.75.75 0 0 1 1.02.3 2.25 2.25 0 0 0 4.06 0 .75.75 0 1 1 1.32.7 3.75 3.75 0 0 1-6.7 0 .75.75 0 0 1 .3-1ZM15.75 1a.75.75 0 0 1 .75.75V3.5h1.75a.75.75 0 0 1 0 1.5H16.5v1.75a.75.75 0 0 1-1.5 0V5h-1.75a.75.75 0 0 1 0-1.5H15V1.75a.75.75 0 0 1 .75-.75Z"/></svg>';

function renderThreadSummary(message: SlackMessage, ctx: RenderContext): string {
  const count = message.reply_count ?? 0;
  if (count === 0 || message.thread_ts !== message.ts) return '';
  const faces = (message.reply_users ?? [])
    .slice(0, 5)
    .map((u) => renderAvatar(u, ctx, 'small'))
    .join('');
  const last = message.latest_reply
    ? `<span class="thread-last">Last reply ${escapeHtml(formatTs(message.latest_reply, true))}</span>`
    : '';
  return `<button type="button" class="thread-summary" data-open-thread="${escapeHtml(message.ts)}"><span class="thread-faces">${faces}</span><span class="thread-count">${count} ${count === 1 ? 'reply' : 'replies'}</span>${last}<span class="thread-view">View thread</span></button>`;
}

function renderFiles(files: SlackFile[] | undefined): string {
  if (!files?.length) return '';
  return `<div class="files">${files
    .map((f) => {
      const href = escapeHtml(safeUrl(f.url_private) ?? '#');
      if (f.mimetype.startsWith('image/') && f.mimetype !== 'image/svg+xml')
        return `<a class="file-image" href="${href}" target="_blank" rel="noopener noreferrer"><img src="${href}" alt="${escapeHtml(f.title || f.name)}" loading="lazy"></a>`;
      return `<a class="file-chip" href="${href}" target="_blank" rel="noopener noreferrer"><span class="file-icon">${escapeHtml((f.filetype || 'file').slice(0, 4).toUpperCase())}</span><span class="file-meta"><span class="file-name">${escapeHtml(f.title || f.name)}</span><span class="file-type">${escapeHtml(f.pretty_type || f.mimetype)}</span></span></a>`;
    })
    .join('')}</div>`;
}

/** The content of a message: its blocks when it has them (Slack then ignores `text`), else its text. */
export function renderMessageContent(message: SlackMessage, ctx: RenderContext = EMPTY_CONTEXT): string {
  const body =
    message.blocks && message.blocks.length > 0
      ? renderBlocks(message.blocks, ctx)
      : message.text
        ? `<div class="msg-text">${renderMrkdwn(message.text, ctx)}</div>`
        : '';
  const edited = message.edited ? '<span class="msg-edited">(edited)</span>' : '';
  return `${body}${edited}${renderAttachments(message.attachments, ctx)}${renderFiles(message.files)}`;
}

export interface MessageRenderOptions {
  channel: string;
  /** A follow-up by the same author within minutes: no avatar or name, the time on hover. */
  compact?: boolean;
  /** Rendered inside the thread panel: no thread summary, replies can't start threads. */
  inThread?: boolean;
  ephemeral?: boolean;
  /** Highlighted (e.g. the thread's parent in the panel). */
  root?: boolean;
}

const ICON_THREAD =
  '<svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M7.5 3h5A5.5 5.5 0 0 1 18 8.5v.5a5.5 5.5 0 0 1-5.5 5.5h-2.13l-3.6 3.09A1 1 0 0 1 5.12 16.8V14.4A5.5 5.5 0 0 1 2 9v-.5A5.5 5.5 0 0 1 7.5 3Zm0 1.5a4 4 0 0 0-4 4V9a4 4 0 0 0 2.75 3.8.75.75 0 0 1 .37.72v2.3l3.1-2.64a.75.75 0 0 1 .48-.18h2.3a4 4 0 0 0 4-4v-.5a4 4 0 0 0-4-4h-5Z"/></svg>';

function renderHoverActions(options: MessageRenderOptions): string {
  if (options.ephemeral) return '';
  const thread = options.inThread
    ? ''
    : `<button type="button" class="msg-action" data-open-thread-from-action title="Reply in thread">${ICON_THREAD}</button>`;
  return `<div class="msg-actions" role="toolbar"><button type="button" class="msg-action" data-quick-reaction="+1" title="React with :+1:">👍</button><button type="button" class="msg-action" data-quick-reaction="-1" title="React with :-1:">👎</button><button type="button" class="msg-action" data-open-picker title="Add reaction">${SMILEY_PLUS}</button>${thread}</div>`;
}

/** A whole message row: avatar, author, time, content, reactions, thread summary and hover actions. */
export function renderMessage(
  message: SlackMessage,
  ctx: RenderContext = EMPTY_CONTEXT,
  options: MessageRenderOptions = { channel: '' },
): string {
  const author = message.user ?? message.bot_id ?? '';
  const isBot = !!message.bot_id || ctx.users[author]?.isBot === true;
  const name =
    isBot && message.bot_profile?.name && !ctx.users[author]
      ? message.bot_profile.name
      : displayName(author, ctx);
  const time = formatTs(message.ts);
  const when = `<time class="msg-time" datetime="${escapeHtml(new Date(Number(message.ts) * 1000).toISOString())}" title="${escapeHtml(formatTs(message.ts, true))}">${escapeHtml(time)}</time>`;
  const tombstone = message.subtype === 'tombstone';
  const compact = options.compact && !options.ephemeral && !tombstone;
  const gutter = compact
    ? `<div class="msg-gutter msg-gutter-compact">${when}</div>`
    : `<div class="msg-gutter">${tombstone ? '<span class="avatar avatar-large avatar-deleted">🗑</span>' : renderAvatar(author, ctx)}</div>`;
  const header = compact
    ? ''
    : `<div class="msg-header"><span class="msg-author" data-user="${escapeHtml(author)}">${escapeHtml(tombstone ? '' : name)}</span>${isBot && !tombstone ? '<span class="app-badge">APP</span>' : ''}${when}</div>`;
  const ephemeralNote = options.ephemeral
    ? '<div class="ephemeral-note"><svg viewBox="0 0 20 20" width="14" height="14" aria-hidden="true"><path fill="currentColor" d="M10 4c4 0 7 3.5 8 6-1 2.5-4 6-8 6s-7-3.5-8-6c1-2.5 4-6 8-6Zm0 1.5c-3.02 0-5.4 2.56-6.37 4.5.97 1.94 3.35 4.5 6.37 4.5s5.4-2.56 6.37-4.5C15.4 8.06 13.02 5.5 10 5.5ZM10 7a3 3 0 1 1 0 6 3 3 0 0 1 0-6Z"/></svg>Only visible to you</div>'
    : '';
  const content = tombstone
    ? '<div class="msg-text msg-deleted">This message was deleted.</div>'
    : renderMessageContent(message, ctx);
  const broadcast =
    message.subtype === 'thread_broadcast' && !options.inThread
      ? `<div class="msg-broadcast">replied to a thread: <button type="button" class="link-button" data-open-thread="${escapeHtml(message.thread_ts ?? '')}">View thread</button></div>`
      : '';
  const dismiss = options.ephemeral
    ? '<button type="button" class="link-button ephemeral-dismiss" data-dismiss-ephemeral>Dismiss</button>'
    : '';
  return `<div class="${classes('msg', compact && 'msg-compact', options.ephemeral && 'msg-ephemeral', options.root && 'msg-root', tombstone && 'msg-tombstone')}" data-ts="${escapeHtml(message.ts)}" data-channel="${escapeHtml(options.channel)}"${options.ephemeral ? ' data-ephemeral="true"' : ''}${options.inThread ? ' data-in-thread="true"' : ''}>${gutter}<div class="msg-body">${ephemeralNote}${header}${broadcast}<div class="msg-content">${content}</div>${dismiss}${options.ephemeral || tombstone ? '' : renderReactions(message, ctx)}${options.inThread ? '' : renderThreadSummary(message, ctx)}</div>${tombstone ? '' : renderHoverActions(options)}</div>`;
}

/** A modal as Slack draws it: title bar with the app, the blocks (inputs editable), Close and Submit. */
export function renderModal(
  view: SlackView,
  ctx: RenderContext = EMPTY_CONTEXT,
  options: BlockRenderOptions & { canGoBack?: boolean } = {},
): string {
  const title = renderPlain(textOf(view.title) || 'App');
  const hasInputs = view.blocks.some((b) => b.type === 'input');
  const submit = view.submit ?? (hasInputs ? { type: 'plain_text' as const, text: 'Submit' } : null);
  const close = view.close ?? { type: 'plain_text' as const, text: submit ? 'Cancel' : 'Close' };
  const back = options.canGoBack
    ? '<button type="button" class="modal-back" data-modal-back title="Back">‹</button>'
    : '';
  return `<form class="modal" data-view-id="${escapeHtml(view.id)}" novalidate><div class="modal-header">${back}${renderAvatar(Object.keys(ctx.users).find((id) => ctx.users[id]?.isBot) ?? '', ctx, 'medium')}<h2 class="modal-title">${title}</h2><button type="button" class="modal-x" data-modal-close-all title="Close">✕</button></div><div class="modal-body">${renderBlocks(view.blocks, ctx, { ...options, surface: 'modal' })}</div><div class="modal-footer"><button type="button" class="btn btn-secondary" data-modal-close>${renderTextObject(close)}</button>${submit ? `<button type="submit" class="btn btn-primary" data-modal-submit>${renderTextObject(submit)}</button>` : ''}</div></form>`;
}
