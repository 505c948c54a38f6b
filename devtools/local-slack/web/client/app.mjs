// The local Slack workspace page. Hand-written DOM code; the HTML of messages, Block Kit and modals
// comes from the TypeScript renderers in ../render (bundled with this file by esbuild at server start).
// State: the server's snapshot, then the change feed over a WebSocket. Actions: POST /ui/api/….
import {
  PICKER_EMOJI,
  escapeHtml,
  formatTs,
  reactionGlyph,
  renderAvatar,
  renderMessage,
  renderModal,
  renderMrkdwn,
} from '../render';

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// ---- state ---------------------------------------------------------------------------------------

const state = {
  team: { name: 'Slack' },
  bot: { userId: '', name: 'pantheon' },
  users: new Map(),
  conversations: new Map(),
  usergroups: new Map(),
  /** channel → messages (thread replies included), ordered by ts */
  messages: new Map(),
  ephemerals: [],
  /** view id → { view, user, open, errors } in the order views appeared */
  views: new Map(),
  mail: { enabled: false, domain: '', canReply: false },
  mails: [],
  mailDetail: null,
  seq: 0,
  me: '',
  /** { kind: 'channel', id } | { kind: 'inbox' } */
  current: { kind: 'channel', id: 'C_GENERAL' },
  thread: null,
  /** user → channel → last seen ts */
  seen: new Map(),
  mailSeen: new Map(),
  dismissed: new Set(),
  /** channel → client-only notices (e.g. a slash command that failed), shown as Slackbot ephemerals */
  notices: new Map(),
  mailSelected: null,
};

const byTs = (a, b) => Number(a.ts) - Number(b.ts);
const humans = () => [...state.users.values()].filter((u) => !u.is_bot && !u.deleted && u.id !== 'USLACKBOT');
const meUser = () => state.users.get(state.me);
const myEmail = () => meUser()?.profile?.email ?? '';

function renderCtx() {
  const users = {};
  for (const u of state.users.values())
    users[u.id] = { name: u.name, realName: u.real_name, isBot: u.is_bot };
  users.USLACKBOT = { name: 'slackbot', realName: 'Slackbot' };
  const channels = {};
  for (const c of state.conversations.values())
    if (c.kind === 'public' || c.kind === 'private') channels[c.id] = c.name;
  const usergroups = {};
  for (const g of state.usergroups.values()) usergroups[g.id] = g.handle;
  return { users, channels, usergroups, me: state.me };
}

function visibleConversations() {
  return [...state.conversations.values()].filter((c) => c.members.includes(state.me) && !c.isArchived);
}

function channelLabel(id) {
  const c = state.conversations.get(id);
  if (!c) return id;
  if (c.kind === 'im') return state.users.get(state.bot.userId)?.real_name ?? 'Pantheon';
  return `#${c.name}`;
}

function myDmId() {
  return [...state.conversations.values()].find((c) => c.kind === 'im' && c.imUser === state.me)?.id;
}

// ---- server --------------------------------------------------------------------------------------

async function api(action, body) {
  const response = await fetch(`/ui/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: state.me, ...body }),
  });
  const json = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  if (response.status >= 400) throw new Error(json.error ?? `HTTP ${response.status}`);
  return json;
}

function loadSnapshot(snapshot) {
  state.team = snapshot.team;
  state.bot = snapshot.bot;
  state.users = new Map(snapshot.users.map((u) => [u.id, u]));
  state.conversations = new Map(snapshot.conversations.map((c) => [c.id, c]));
  state.usergroups = new Map(snapshot.usergroups.map((g) => [g.id, g]));
  state.messages = new Map(Object.entries(snapshot.messages).map(([id, list]) => [id, [...list].sort(byTs)]));
  state.ephemerals = snapshot.ephemerals;
  state.views = new Map(snapshot.views.map((r) => [r.view.id, r]));
  state.mail = snapshot.mail ?? state.mail;
  state.seq = snapshot.seq;
}

async function fetchState() {
  const response = await fetch('/ui/api/state');
  loadSnapshot(await response.json());
}

let refetchTimer;
function refetchSoon() {
  clearTimeout(refetchTimer);
  refetchTimer = setTimeout(async () => {
    await fetchState();
    renderAll();
  }, 50);
}

// ---- change feed ---------------------------------------------------------------------------------

let socket;
let reconnectDelay = 500;
function connect() {
  const url = new URL(`/ui/ws?since=${state.seq}`, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  socket = new WebSocket(url);
  socket.onopen = () => {
    reconnectDelay = 500;
    $('#connection').hidden = true;
  };
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.kind === 'slack') applyEvent(data.event);
    else if (data.kind === 'mail') applyMailEvent(data.event);
    else if (data.kind === 'ready') document.body.dataset.live = 'true';
  };
  socket.onclose = () => {
    document.body.dataset.live = 'false';
    $('#connection').hidden = false;
    setTimeout(async () => {
      try {
        await fetchState();
        renderAll();
      } catch {
        // still down: try again
      }
      connect();
    }, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, 5000);
  };
}

function listOf(channel) {
  let list = state.messages.get(channel);
  if (!list) state.messages.set(channel, (list = []));
  return list;
}

const dirty = { messages: false, sidebar: false, thread: false, modal: false, inbox: false };
let frame;
function schedule(...parts) {
  for (const part of parts) dirty[part] = true;
  frame ??= requestAnimationFrame(() => {
    frame = undefined;
    if (dirty.sidebar) renderSidebar();
    if (dirty.messages) renderMessages();
    if (dirty.thread) renderThread();
    if (dirty.modal) renderModalLayer();
    if (dirty.inbox) renderInbox();
    for (const key of Object.keys(dirty)) dirty[key] = false;
  });
}

function applyEvent(event) {
  state.seq = Math.max(state.seq, event.seq);
  switch (event.type) {
    case 'message_posted': {
      if (!state.conversations.has(event.channel)) return refetchSoon();
      const list = listOf(event.channel);
      if (list.some((m) => m.ts === event.message.ts)) return;
      list.push(event.message);
      list.sort(byTs);
      const m = event.message;
      if (m.thread_ts && m.thread_ts !== m.ts) {
        const parent = list.find((p) => p.ts === m.thread_ts);
        if (parent) {
          parent.thread_ts = parent.ts;
          parent.reply_count = (parent.reply_count ?? 0) + 1;
          parent.reply_users = [...new Set([...(parent.reply_users ?? []), m.user])];
          parent.reply_users_count = parent.reply_users.length;
          parent.latest_reply = m.ts;
        }
      }
      if (isCurrent(event.channel)) markSeen(event.channel);
      return schedule('messages', 'thread', 'sidebar');
    }
    case 'message_updated': {
      const list = listOf(event.channel);
      const i = list.findIndex((m) => m.ts === event.message.ts);
      if (i === -1) return refetchSoon();
      list[i] = event.message;
      flash(event.channel, event.message.ts);
      return schedule('messages', 'thread');
    }
    case 'message_deleted':
      return refetchSoon();
    case 'reaction_added':
    case 'reaction_removed': {
      const message = listOf(event.channel).find((m) => m.ts === event.ts);
      if (!message) return;
      const reactions = (message.reactions ??= []);
      let reaction = reactions.find((r) => r.name === event.name);
      if (event.type === 'reaction_added') {
        if (!reaction) reactions.push((reaction = { name: event.name, users: [], count: 0 }));
        if (!reaction.users.includes(event.user)) reaction.users.push(event.user);
        reaction.count = reaction.users.length;
      } else if (reaction) {
        reaction.users = reaction.users.filter((u) => u !== event.user);
        reaction.count = reaction.users.length;
        if (reaction.count === 0) message.reactions = reactions.filter((r) => r !== reaction);
      }
      return schedule('messages', 'thread');
    }
    case 'ephemeral_posted':
      state.ephemerals.push(event.ephemeral);
      return schedule('messages', 'thread');
    case 'ephemeral_updated': {
      const i = state.ephemerals.findIndex(
        (e) => e.channel === event.ephemeral.channel && e.ts === event.ephemeral.ts,
      );
      if (i === -1) state.ephemerals.push(event.ephemeral);
      else state.ephemerals[i] = event.ephemeral;
      return schedule('messages', 'thread');
    }
    case 'ephemeral_deleted':
      state.ephemerals = state.ephemerals.filter((e) => !(e.channel === event.channel && e.ts === event.ts));
      return schedule('messages', 'thread');
    case 'view_opened':
    case 'view_pushed':
      state.views.set(event.view.id, { view: event.view, user: event.user, open: true });
      return schedule('modal');
    case 'view_updated': {
      const record = state.views.get(event.view.id);
      state.views.set(event.view.id, { view: event.view, user: event.user, open: record?.open ?? true });
      return schedule('modal');
    }
    case 'view_closed': {
      const record = state.views.get(event.view_id);
      if (record) record.open = false;
      return schedule('modal');
    }
    case 'view_errors': {
      const record = state.views.get(event.view_id);
      if (record) record.errors = event.errors;
      return schedule('modal');
    }
    case 'app_request':
      // Failures of this page's own requests are reported where they happened (notices, toasts).
      return;
    default:
      return;
  }
}

function applyMailEvent(event) {
  if (event.type === 'mail_received') {
    state.mails.unshift(event.mail);
    if (!myMail(event.mail)) return;
    if (state.current.kind === 'inbox') schedule('inbox');
    schedule('sidebar');
  } else if (event.type === 'mail_reply') {
    if (state.mailDetail?.id === event.id) {
      const replies = state.mailDetail.replies;
      const i = replies.findIndex((r) => r.id === event.reply.id);
      if (i === -1) replies.push(event.reply);
      else replies[i] = event.reply;
    }
    const summary = state.mails.find((m) => m.id === event.id);
    if (summary && event.reply.status !== 'sending') summary.replies = Math.max(summary.replies, 1);
    schedule('inbox');
  }
}

const myMail = (summary) => summary.recipients.includes(myEmail().toLowerCase());

// ---- navigation ----------------------------------------------------------------------------------

function isCurrent(channel) {
  return state.current.kind === 'channel' && state.current.id === channel;
}

function seenMap() {
  let map = state.seen.get(state.me);
  if (!map) state.seen.set(state.me, (map = new Map()));
  return map;
}

function markSeen(channel) {
  const list = state.messages.get(channel) ?? [];
  const last = list.at(-1)?.ts ?? '0';
  seenMap().set(channel, last);
}

function unread(channel) {
  const seen = Number(seenMap().get(channel) ?? 0);
  const fresh = (state.messages.get(channel) ?? []).filter(
    (m) =>
      Number(m.ts) > seen &&
      m.user !== state.me &&
      (!m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast'),
  );
  const mentions = fresh.filter(
    (m) => m.text.includes(`<@${state.me}>`) || state.conversations.get(channel)?.kind === 'im',
  ).length;
  return { count: fresh.length, mentions };
}

function go(target) {
  state.current = target;
  if (target.kind === 'channel') markSeen(target.id);
  state.thread = null;
  location.hash = target.kind === 'inbox' ? '#inbox' : `#${target.id}`;
  renderAll();
  if (target.kind === 'inbox') void loadMails();
  else $('#composer-input')?.focus();
}

async function openDm() {
  let id = myDmId();
  if (!id) {
    const { channel } = await api('open-dm', {});
    state.conversations.set(channel.id, channel);
    id = channel.id;
  }
  go({ kind: 'channel', id });
}

function switchUser(id) {
  if (!state.users.has(id) || id === state.me) return;
  state.me = id;
  localStorage.setItem('local-slack.user', id);
  const current = state.current.kind === 'channel' ? state.conversations.get(state.current.id) : undefined;
  if (current && !current.members.includes(id)) state.current = { kind: 'channel', id: 'C_GENERAL' };
  if (current?.kind === 'im')
    state.current = myDmId() ? { kind: 'channel', id: myDmId() } : { kind: 'channel', id: 'C_GENERAL' };
  state.thread = null;
  state.mailSelected = null;
  state.mailDetail = null;
  if (state.current.kind === 'channel') markSeen(state.current.id);
  renderAll();
  if (state.current.kind === 'inbox') void loadMails();
  toast(`You're now ${meUser()?.real_name ?? id}`);
}

// ---- rendering: frame ----------------------------------------------------------------------------

function renderFrame() {
  $('#app').className = '';
  $('#app').innerHTML = `
  <div class="workspace">
    <header class="topbar">
      <div class="topbar-left"><span class="local-pill" title="Everything here runs on your machine">Local</span><span>Slack for ${escapeHtml(state.team.name)}</span></div>
      <div class="topbar-search" aria-hidden="true"><svg viewBox="0 0 20 20" width="14" height="14"><path fill="currentColor" d="M8.5 2a6.5 6.5 0 0 1 5.13 10.5l4.18 4.17a.75.75 0 1 1-1.06 1.06l-4.17-4.18A6.5 6.5 0 1 1 8.5 2Zm0 1.5a5 5 0 1 0 0 10 5 5 0 0 0 0-10Z"/></svg>Search ${escapeHtml(state.team.name)}</div>
      <div class="topbar-right">
        <button type="button" class="user-switcher" id="user-switcher" data-testid="user-switcher" aria-haspopup="menu"></button>
      </div>
    </header>
    <div class="frame" id="frame">
      <aside class="sidebar">
        <div class="sidebar-header"><button type="button" class="team-name">${escapeHtml(state.team.name)} <span style="font-size:12px">▾</span></button>
        <button type="button" class="compose-button" title="New message" data-open-dm><svg viewBox="0 0 20 20" width="18" height="18"><path fill="currentColor" d="M15.3 2.3a1.75 1.75 0 0 1 2.47 2.48l-8.1 8.1a2 2 0 0 1-.9.51l-2.6.7a.5.5 0 0 1-.61-.62l.7-2.6a2 2 0 0 1 .51-.89l8.53-7.68ZM4 4.5h6V6H4a.5.5 0 0 0-.5.5V16a.5.5 0 0 0 .5.5h9.5a.5.5 0 0 0 .5-.5v-6h1.5v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6.5a2 2 0 0 1 2-2Z"/></svg></button></div>
        <nav class="sidebar-scroll" id="sidebar"></nav>
        <div class="sidebar-footer">Local workspace · no Slack account needed</div>
      </aside>
      <main class="main" id="main"></main>
      <aside class="thread-panel" id="thread" hidden></aside>
    </div>
  </div>
  <div class="modal-layer" id="modal-layer" hidden></div>
  <div class="menu" id="user-menu" role="menu" hidden></div>
  <div class="picker" id="picker" hidden></div>
  <div class="toasts" id="toasts"></div>
  <div class="connection" id="connection" hidden>Reconnecting to the local workspace…</div>`;
}

function renderAll() {
  renderSwitcher();
  renderSidebar();
  renderMain();
  renderThread();
  renderModalLayer();
}

function renderSwitcher() {
  const me = meUser();
  $('#user-switcher').innerHTML =
    `<span class="viewing">Viewing as</span> <b>${escapeHtml(me?.real_name ?? state.me)}</b>${renderAvatar(state.me, renderCtx(), 'medium')}<span class="presence"></span><span style="font-size:10px;opacity:.7">▼</span>`;
}

function renderSidebar() {
  const ctx = renderCtx();
  const channels = visibleConversations()
    .filter((c) => c.kind === 'public' || c.kind === 'private')
    .sort((a, b) => a.name.localeCompare(b.name));
  const item = (c) => {
    const active = isCurrent(c.id);
    const { count, mentions } = active ? { count: 0, mentions: 0 } : unread(c.id);
    return `<button type="button" class="side-item${active ? ' active' : ''}${count ? ' unread' : ''}" data-go="${escapeHtml(c.id)}" data-testid="channel-${escapeHtml(c.name)}"><span class="hash">${c.kind === 'private' ? '🔒' : '#'}</span><span>${escapeHtml(c.name)}</span>${mentions ? `<span class="badge">${mentions}</span>` : ''}</button>`;
  };
  const dm = myDmId();
  const dmUnread = dm && !isCurrent(dm) ? unread(dm) : { count: 0, mentions: 0 };
  const bot = state.users.get(state.bot.userId);
  const mailCount = state.mail.enabled ? unreadMail() : 0;
  $('#sidebar').innerHTML = `
    <div class="sidebar-section"><div class="section-title"><span class="caret">▼</span>Channels</div>${channels.map(item).join('')}</div>
    <div class="sidebar-section"><div class="section-title"><span class="caret">▼</span>Apps</div>
      <button type="button" class="side-item${dm && isCurrent(dm) ? ' active' : ''}${dmUnread.count ? ' unread' : ''}" data-open-dm data-testid="dm-pantheon">${renderAvatar(state.bot.userId, ctx, 'small')}<span>${escapeHtml(bot?.real_name ?? 'Pantheon')}</span>${dmUnread.count ? `<span class="badge">${dmUnread.count}</span>` : ''}</button>
    </div>
    <div class="sidebar-section"><div class="section-title"><span class="caret">▼</span>Local mail</div>
      <button type="button" class="side-item${state.current.kind === 'inbox' ? ' active' : ''}${mailCount ? ' unread' : ''}" data-go-inbox data-testid="inbox"><span class="hash">📥</span><span>Inbox</span>${mailCount ? `<span class="badge">${mailCount}</span>` : ''}</button>
    </div>`;
}

function unreadMail() {
  const seen = state.mailSeen.get(state.me) ?? new Set();
  return state.mails.filter((m) => myMail(m) && !seen.has(m.id)).length;
}

function renderMain() {
  const main = $('#main');
  if (state.current.kind === 'inbox') {
    main.innerHTML = `<div class="channel-header"><div class="channel-title">📥 Inbox <span class="channel-topic">${escapeHtml(myEmail())} · mail the app sent you, captured locally</span></div></div><div class="inbox" id="inbox"></div>`;
    renderInbox();
    return;
  }
  const channel = state.conversations.get(state.current.id);
  if (!channel) {
    state.current = { kind: 'channel', id: 'C_GENERAL' };
    return renderMain();
  }
  const ctx = renderCtx();
  const isIm = channel.kind === 'im';
  const title = isIm
    ? `${renderAvatar(state.bot.userId, ctx, 'medium')}<span>${escapeHtml(channelLabel(channel.id))}</span><span class="app-badge">APP</span>`
    : `<span class="hash">#</span><span>${escapeHtml(channel.name)}</span><span class="channel-topic">${escapeHtml(channel.topic || channel.purpose)}</span>`;
  const members = channel.members.filter((id) => state.users.has(id));
  main.innerHTML = `
    <div class="channel-header"><div class="channel-title" data-testid="channel-title">${title}</div>
      <div class="members" title="${escapeHtml(members.map((id) => state.users.get(id)?.real_name).join(', '))}"><span class="stack">${members
        .slice(0, 3)
        .map((id) => renderAvatar(id, ctx, 'small'))
        .join('')}</span><span class="count">${members.length}</span></div>
    </div>
    <div class="messages" id="messages" data-channel="${escapeHtml(channel.id)}" aria-live="polite"></div>
    ${composerHtml('composer-input', isIm ? `Message ${channelLabel(channel.id)}` : `Message #${channel.name}`)}`;
  renderMessages(true);
}

function composerHtml(id, placeholder) {
  return `<div class="composer-wrap"><div class="suggest" hidden></div><form class="composer" data-composer>
    <div class="composer-toolbar"><button type="button" class="tool" data-wrap="*" title="Bold"><b>B</b></button><button type="button" class="tool" data-wrap="_" title="Italic"><i>I</i></button><button type="button" class="tool" data-wrap="~" title="Strikethrough"><s>S</s></button><button type="button" class="tool" data-wrap="\`" title="Code">&lt;/&gt;</button></div>
    <textarea id="${id}" rows="1" placeholder="${escapeHtml(placeholder)}" aria-label="${escapeHtml(placeholder)}" data-testid="${id}"></textarea>
    <div class="composer-bottom"><button type="button" class="tool" data-insert="@" title="Mention someone">@</button><button type="button" class="tool" data-insert="/" title="Run a command">/</button><span class="composer-hint"><code>/pantheon …</code> runs a command · <code>@pantheon …</code> mentions the app · <b>Enter</b> to send</span>
    <button type="submit" class="send-button" title="Send"><svg viewBox="0 0 20 20" width="16" height="16"><path fill="currentColor" d="M1.5 2.27a.75.75 0 0 1 1.03-.87l15.5 7.9a.75.75 0 0 1 0 1.34l-15.5 7.9a.75.75 0 0 1-1.03-.87L3.6 10 1.5 2.27Zm3.4 8.48-1.58 5.8L15.9 10 3.32 3.45l1.58 5.8H10a.75.75 0 0 1 0 1.5H4.9Z"/></svg></button></div>
  </form></div>`;
}

// ---- rendering: messages -------------------------------------------------------------------------

function sameDay(a, b) {
  return new Date(Number(a) * 1000).toDateString() === new Date(Number(b) * 1000).toDateString();
}

function dayLabel(ts) {
  const date = new Date(Number(ts) * 1000);
  const today = new Date();
  if (date.toDateString() === today.toDateString()) return 'Today';
  today.setDate(today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) return 'Yesterday';
  return date.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric' });
}

/** Messages, my ephemerals and my local notices of a channel (or a thread), in time order. */
function timeline(channel, threadTs) {
  const inThread = (m) => m.thread_ts === threadTs || m.ts === threadTs;
  const topLevel = (m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast';
  const messages = (state.messages.get(channel) ?? [])
    .filter(threadTs ? inThread : topLevel)
    .map((m) => ({ m }));
  const ephemerals = state.ephemerals
    .filter((e) => e.channel === channel && e.user === state.me && !state.dismissed.has(e.ts))
    .filter((e) => (threadTs ? e.thread_ts === threadTs : !e.thread_ts))
    .map((e) => ({ m: e.message, ephemeral: true }));
  const notices = (state.notices.get(channel) ?? [])
    .filter(
      (n) =>
        n.user === state.me &&
        (threadTs ? n.thread_ts === threadTs : !n.thread_ts) &&
        !state.dismissed.has(n.message.ts),
    )
    .map((n) => ({ m: n.message, ephemeral: true }));
  return [...messages, ...ephemerals, ...notices].sort((a, b) => byTs(a.m, b.m));
}

function renderList(items, channel, options) {
  const ctx = renderCtx();
  let previous;
  let html = '';
  for (const item of items) {
    const m = item.m;
    if (!options.inThread && (!previous || !sameDay(previous.m.ts, m.ts))) {
      html += `<div class="day-divider"><span>${escapeHtml(dayLabel(m.ts))}</span></div>`;
      previous = undefined;
    }
    const compact =
      previous &&
      !previous.ephemeral &&
      !item.ephemeral &&
      previous.m.user === m.user &&
      !m.subtype &&
      !previous.m.subtype &&
      Number(m.ts) - Number(previous.m.ts) < 300 &&
      !(options.inThread && previous.m.ts === options.rootTs);
    html += renderMessage(m, ctx, {
      channel,
      compact,
      ephemeral: item.ephemeral,
      inThread: options.inThread,
      root: options.inThread && m.ts === options.rootTs,
    });
    if (options.inThread && m.ts === options.rootTs) {
      const count = items.length - 1;
      html += `<div class="reply-divider">${count} ${count === 1 ? 'reply' : 'replies'}</div>`;
    }
    previous = item;
  }
  return html;
}

function renderMessages(forceBottom = false) {
  const box = $('#messages');
  if (!box || state.current.kind !== 'channel') return;
  const channel = state.conversations.get(state.current.id);
  if (!channel) return;
  const nearBottom = forceBottom || box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const scrollTop = box.scrollTop;
  const intro =
    channel.kind === 'im'
      ? `<div class="channel-intro">${renderAvatar(state.bot.userId, renderCtx(), 'large')}<h2>${escapeHtml(channelLabel(channel.id))}</h2><p>This is your direct message with the app. Try <b>/pantheon help</b>, or just say hi.</p></div>`
      : `<div class="channel-intro"><h2># ${escapeHtml(channel.name)}</h2><p>This is the very beginning of the <b>#${escapeHtml(channel.name)}</b> channel. ${escapeHtml(channel.purpose)}</p></div>`;
  box.innerHTML = intro + renderList(timeline(channel.id), channel.id, { inThread: false });
  box.scrollTop = nearBottom ? box.scrollHeight : scrollTop;
  // Images decode after layout: keep the list pinned to the bottom when it was.
  box.dataset.pinned = String(nearBottom);
  markSeen(channel.id);
}

function renderThread() {
  const panel = $('#thread');
  if (!panel) return;
  const thread = state.thread;
  if (!thread || state.current.kind !== 'channel' || thread.channel !== state.current.id) {
    panel.hidden = true;
    panel.innerHTML = '';
    return;
  }
  const items = timeline(thread.channel, thread.ts);
  if (!items.length) {
    state.thread = null;
    panel.hidden = true;
    return;
  }
  const existing = $('#thread-scroll');
  const nearBottom = !existing || existing.scrollHeight - existing.scrollTop - existing.clientHeight < 80;
  const draft = $('#thread-input')?.value ?? '';
  const focused = document.activeElement?.id === 'thread-input';
  panel.hidden = false;
  const label = channelLabel(thread.channel);
  panel.innerHTML = `<div class="panel-header"><div class="panel-title">Thread<small>${escapeHtml(label)}</small></div><button type="button" class="icon-button" data-close-thread title="Close">✕</button></div>
    <div class="thread-scroll" id="thread-scroll">${renderList(items, thread.channel, { inThread: true, rootTs: thread.ts })}</div>
    ${composerHtml('thread-input', 'Reply…')}`;
  const input = $('#thread-input');
  input.value = draft;
  if (focused) input.focus();
  const scroll = $('#thread-scroll');
  if (nearBottom) scroll.scrollTop = scroll.scrollHeight;
}

function flash(channel, ts) {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      for (const el of $$(`.msg[data-channel="${CSS.escape(channel)}"][data-ts="${CSS.escape(ts)}"]`)) {
        el.classList.remove('msg-flash');
        void el.offsetWidth;
        el.classList.add('msg-flash');
      }
    }),
  );
}

// ---- rendering: modal ----------------------------------------------------------------------------

function myViewStack() {
  return [...state.views.values()].filter((r) => r.user === state.me && r.open && r.view.type === 'modal');
}

let shownModal = { id: '', hash: '', errors: '' };
function renderModalLayer() {
  const layer = $('#modal-layer');
  if (!layer) return;
  if (layer.dataset.confirm === 'true') return;
  const stack = myViewStack();
  const top = stack.at(-1);
  if (!top) {
    layer.hidden = true;
    layer.innerHTML = '';
    shownModal = { id: '', hash: '', errors: '' };
    return;
  }
  const errors = JSON.stringify(top.errors ?? {});
  if (
    shownModal.id === top.view.id &&
    shownModal.hash === top.view.hash &&
    shownModal.errors === errors &&
    !layer.hidden
  )
    return;
  const previous = shownModal.id === top.view.id ? collectModalDom() : undefined;
  layer.innerHTML = renderModal(top.view, renderCtx(), {
    errors: top.errors ?? {},
    canGoBack: stack.length > 1,
  });
  layer.classList.toggle('entering', layer.hidden || shownModal.id !== top.view.id);
  layer.hidden = false;
  if (previous) restoreModalDom(previous);
  else $('.modal input, .modal textarea, .modal select', layer)?.focus();
  shownModal = { id: top.view.id, hash: top.view.hash, errors };
}

/** What the user typed, so a re-render (errors, views.update) keeps it as Slack does. */
function collectModalDom() {
  const values = new Map();
  for (const el of $$('#modal-layer [data-input]'))
    values.set(`${el.dataset.blockId}/${el.dataset.actionId}`, readInput(el));
  return values;
}

function restoreModalDom(values) {
  for (const el of $$('#modal-layer [data-input]')) {
    const key = `${el.dataset.blockId}/${el.dataset.actionId}`;
    if (!values.has(key)) continue;
    const value = values.get(key);
    if (el.matches('.bk-choices')) {
      const wanted = new Set([value].flat());
      for (const box of $$('input', el)) box.checked = wanted.has(box.value);
    } else if (el.multiple) {
      const wanted = new Set(value ?? []);
      for (const option of el.options) option.selected = wanted.has(option.value);
    } else {
      el.value = value ?? '';
    }
  }
}

function readInput(el) {
  const type = el.dataset.input;
  if (type === 'checkboxes') return $$('input:checked', el).map((i) => i.value);
  if (type === 'radio_buttons') return $('input:checked', el)?.value ?? null;
  if (el.multiple) return [...el.selectedOptions].map((o) => o.value);
  const value = el.value;
  return value === '' ? null : value;
}

function modalValues(form) {
  const values = {};
  const missing = [];
  for (const el of $$('[data-input]', form)) {
    const block = el.dataset.blockId;
    const action = el.dataset.actionId;
    if (!block || !action) continue;
    const value = readInput(el);
    (values[block] ??= {})[action] = value;
    const optional = el.closest('.bk-input-block')?.dataset.optional === 'true';
    const empty = value === null || (Array.isArray(value) && value.length === 0);
    if (!optional && empty) missing.push(block);
  }
  return { values, missing };
}

function showModalErrors(form, errors) {
  for (const block of $$('.bk-input-block', form)) {
    const id = block.dataset.block;
    $('.bk-error', block)?.remove();
    block.classList.toggle('bk-has-error', !!errors[id]);
    if (errors[id])
      block.querySelector('.bk-label')?.parentElement.insertBefore(
        Object.assign(document.createElement('div'), {
          className: 'bk-error',
          role: 'alert',
          textContent: errors[id],
        }),
        $('.bk-hint', block),
      );
  }
}

async function submitModal(form) {
  const viewId = form.dataset.viewId;
  const { values, missing } = modalValues(form);
  if (missing.length)
    return showModalErrors(
      form,
      Object.fromEntries(missing.map((b) => [b, 'Please complete this required field.'])),
    );
  const button = $('[data-modal-submit]', form);
  button.disabled = true;
  $('.modal-error', form)?.remove();
  try {
    const result = await api('submit', { viewId, values });
    if (result.outcome === 'errors') showModalErrors(form, result.errors ?? {});
    else if (!result.ok)
      modalFailure(
        form,
        result.error === 'operation_timeout'
          ? 'The app took too long to respond. Try again?'
          : 'We had some trouble connecting. Try again?',
      );
  } catch (error) {
    modalFailure(form, String(error.message ?? error));
  } finally {
    button.disabled = false;
  }
}

function modalFailure(form, text) {
  $('.modal-error', form)?.remove();
  $('.modal-footer', form)?.prepend(
    Object.assign(document.createElement('span'), { className: 'modal-error', textContent: text }),
  );
}

async function closeModal(form, clear) {
  try {
    await api('close', { viewId: form.dataset.viewId, clear });
  } catch (error) {
    toast(String(error.message ?? error), true);
  }
}

/** Slack's confirmation dialog for elements with `confirm`; resolves true when confirmed. */
function confirmDialog(confirm) {
  const layer = $('#modal-layer');
  const text = (t) =>
    t ? (t.type === 'mrkdwn' ? renderMrkdwn(t.text, renderCtx()) : escapeHtml(t.text)) : '';
  return new Promise((resolve) => {
    const saved = { html: layer.innerHTML, hidden: layer.hidden };
    layer.dataset.confirm = 'true';
    layer.hidden = false;
    layer.innerHTML = `<div class="modal confirm" role="dialog"><div class="modal-header"><h2 class="modal-title">${text(confirm.title) || 'Are you sure?'}</h2></div><div class="modal-body">${text(confirm.text)}</div><div class="modal-footer"><button type="button" class="btn" data-answer="no">${text(confirm.deny) || 'Cancel'}</button><button type="button" class="btn ${confirm.style === 'danger' ? 'btn-danger' : 'btn-primary'}" data-answer="yes">${text(confirm.confirm) || 'Yes'}</button></div></div>`;
    layer.onclick = (event) => {
      const answer = event.target.closest('[data-answer]')?.dataset.answer;
      if (!answer) return;
      layer.onclick = null;
      delete layer.dataset.confirm;
      layer.innerHTML = saved.html;
      layer.hidden = saved.hidden;
      shownModal = { id: '', hash: '', errors: '' };
      renderModalLayer();
      resolve(answer === 'yes');
    };
  });
}

// ---- rendering: inbox ----------------------------------------------------------------------------

async function loadMails() {
  if (!state.mail.enabled) return renderInbox();
  const response = await fetch(`/ui/api/mail?address=${encodeURIComponent(myEmail())}`);
  const json = await response.json();
  const others = state.mails.filter((m) => !myMail(m));
  state.mails = [...json.mails, ...others];
  renderInbox();
  renderSidebar();
}

async function openMail(id) {
  state.mailSelected = id;
  const seen = state.mailSeen.get(state.me) ?? new Set();
  seen.add(id);
  state.mailSeen.set(state.me, seen);
  const response = await fetch(`/ui/api/mail/${encodeURIComponent(id)}`);
  const json = await response.json();
  state.mailDetail = json.mail ?? null;
  renderInbox(true);
  renderSidebar();
}

function addressList(list) {
  return list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

function renderInbox(replaceReader = false) {
  const box = $('#inbox');
  if (!box) return;
  if (!state.mail.enabled) {
    box.innerHTML = `<div class="empty" style="grid-column:1/-1"><div><div class="big">📭</div><h3>Mail isn't captured in this workspace</h3><p>Start it with <code>startLocalWorkspace()</code> to see the mail the app sends.</p></div></div>`;
    return;
  }
  const mine = state.mails.filter(myMail).sort((a, b) => b.receivedAt - a.receivedAt);
  const seen = state.mailSeen.get(state.me) ?? new Set();
  const listHtml = mine.length
    ? mine
        .map(
          (
            m,
          ) => `<button type="button" class="mail-item${m.id === state.mailSelected ? ' active' : ''}${seen.has(m.id) ? '' : ' unread'}" data-open-mail="${escapeHtml(m.id)}" data-testid="mail-item">
            <div class="mail-row"><span class="mail-from">${escapeHtml(m.from[0]?.name || m.from[0]?.address || '(no sender)')}</span><span class="mail-when">${escapeHtml(formatTs(String(m.receivedAt / 1000)))}</span></div>
            <div class="mail-subject">${escapeHtml(m.subject || '(no subject)')}</div>
            <div class="mail-snippet">${escapeHtml(m.snippet)}</div>${m.replies ? '<div class="mail-replied">↩ Replied</div>' : ''}</button>`,
        )
        .join('')
    : `<div class="empty"><div><div class="big">📬</div><h3>No mail yet</h3><p>Mail the app sends to ${escapeHtml(myEmail())} shows up here.</p></div></div>`;
  const list = $('.mail-list', box);
  if (list) list.innerHTML = listHtml;
  else
    box.innerHTML = `<div class="mail-list" id="mail-list">${listHtml}</div><section class="mail-reader" id="mail-reader"></section>`;
  const reader = $('#mail-reader');
  const detail = state.mailDetail;
  if (!detail || detail.id !== state.mailSelected) {
    reader.innerHTML = `<div class="empty"><div><div class="big">✉️</div><h3>Select a message</h3><p>Open a mail to read it and reply, as you would in your mail client.</p></div></div>`;
    return;
  }
  if (!replaceReader && reader.dataset.mail === detail.id) {
    $('#mail-replies').innerHTML = repliesHtml(detail);
    return;
  }
  const replyTo = detail.replyTo.length ? detail.replyTo : detail.from;
  const draft = reader.dataset.mail === detail.id ? ($('#mail-reply-input')?.value ?? '') : '';
  reader.dataset.mail = detail.id;
  reader.innerHTML = `
    <h1 data-testid="mail-subject">${escapeHtml(detail.subject || '(no subject)')}</h1>
    <div class="mail-meta"><span class="avatar avatar-large" style="background:#4a154b">${escapeHtml((detail.from[0]?.name || detail.from[0]?.address || '?').slice(0, 1).toUpperCase())}</span>
      <div class="mail-meta-lines"><b>${escapeHtml(detail.from[0]?.name || '')}</b> <span class="addr">&lt;${escapeHtml(detail.from[0]?.address ?? '')}&gt;</span><br>
        to <span class="addr">${escapeHtml(addressList(detail.to) || detail.envelope.to.join(', '))}</span>${detail.cc.length ? `, cc <span class="addr">${escapeHtml(addressList(detail.cc))}</span>` : ''}<br>
        ${detail.replyTo.length ? `reply-to <span class="addr">${escapeHtml(addressList(detail.replyTo))}</span><br>` : ''}
        ${escapeHtml(new Date(detail.date ?? detail.receivedAt).toLocaleString('en-US'))} · <a href="/ui/mail/${encodeURIComponent(detail.id)}/raw" target="_blank" rel="noopener">Show original</a></div></div>
    <div class="mail-frame-wrap"><iframe class="mail-frame" title="Message body" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" src="/ui/mail/${encodeURIComponent(detail.id)}/html" data-testid="mail-frame"></iframe></div>
    ${detail.attachments.length ? `<div class="mail-attachments">📎 ${detail.attachments.map((a) => escapeHtml(`${a.filename} (${Math.ceil(a.size / 1024)} KB)`)).join(' · ')}</div>` : ''}
    <div class="mail-replies" id="mail-replies">${repliesHtml(detail)}</div>
    <form class="reply-box" id="mail-reply-form">
      <div class="reply-to-line">Reply to ${escapeHtml(addressList(replyTo))} as ${escapeHtml(myEmail())}</div>
      <textarea id="mail-reply-input" data-testid="mail-reply-input" placeholder="Write your reply…"></textarea>
      <div class="reply-actions"><span>${state.mail.canReply ? 'Signed with DKIM for ' + escapeHtml(state.mail.domain) + ' and delivered to the app' : 'No inbound mail path is configured: replies are recorded but not delivered'}</span><button type="submit" class="btn btn-primary" data-testid="mail-send">Send</button></div>
    </form>`;
  $('#mail-reply-input').value = draft;
}

function repliesHtml(detail) {
  return detail.replies
    .map(
      (r) =>
        `<div class="sent-reply" data-testid="sent-reply"><div><b>${escapeHtml(r.from.name || r.from.address)}</b> → ${escapeHtml(r.to.join(', '))}<span class="status-pill status-${escapeHtml(r.status)}">${r.status === 'delivered' ? 'Delivered' : r.status === 'failed' ? 'Not delivered' : 'Sending…'}</span>${r.error ? ` <span class="mail-when">${escapeHtml(r.error)}</span>` : ''}</div><pre>${escapeHtml(r.text)}</pre></div>`,
    )
    .join('');
}

// ---- UI bits -------------------------------------------------------------------------------------

function toast(text, error = false) {
  const el = Object.assign(document.createElement('div'), {
    className: `toast${error ? ' error' : ''}`,
    textContent: text,
  });
  $('#toasts').append(el);
  setTimeout(() => el.remove(), error ? 6000 : 2500);
}

function notice(channel, threadTs, text) {
  const list = state.notices.get(channel) ?? [];
  const ts = (Date.now() / 1000).toFixed(6);
  list.push({
    user: state.me,
    thread_ts: threadTs,
    message: { type: 'message', ts, user: 'USLACKBOT', text },
  });
  state.notices.set(channel, list);
  schedule('messages', 'thread');
}

let pickerTarget;
function openPicker(anchor, target) {
  pickerTarget = target;
  const picker = $('#picker');
  picker.innerHTML = `<div class="picker-title">Add a reaction</div><div class="picker-grid">${PICKER_EMOJI.map((name) => `<button type="button" data-pick="${escapeHtml(name)}" title=":${escapeHtml(name)}:">${escapeHtml(reactionGlyph(name))}</button>`).join('')}</div>`;
  picker.hidden = false;
  const rect = anchor.getBoundingClientRect();
  const top = Math.min(rect.bottom + 6, innerHeight - picker.offsetHeight - 8);
  picker.style.top = `${Math.max(8, top)}px`;
  picker.style.left = `${Math.max(8, Math.min(rect.right - picker.offsetWidth, innerWidth - picker.offsetWidth - 8))}px`;
}

function closePopups() {
  $('#picker').hidden = true;
  $('#user-menu').hidden = true;
}

function openUserMenu() {
  const menu = $('#user-menu');
  const ctx = renderCtx();
  menu.innerHTML = `<div class="menu-title">Switch user</div>${humans()
    .map(
      (u) =>
        `<button type="button" class="menu-item" role="menuitem" data-switch-user="${escapeHtml(u.id)}">${renderAvatar(u.id, ctx, 'large')}<span><span>${escapeHtml(u.real_name)}</span><span class="menu-sub">${escapeHtml(u.profile.title || u.name)} · ${escapeHtml(u.profile.email ?? '')}</span></span>${u.id === state.me ? '<span class="check">✓</span>' : ''}</button>`,
    )
    .join('')}`;
  menu.hidden = false;
  const rect = $('#user-switcher').getBoundingClientRect();
  menu.style.top = `${rect.bottom + 6}px`;
  menu.style.left = `${Math.max(8, rect.right - menu.offsetWidth)}px`;
}

async function react(channel, ts, name, add) {
  try {
    await api('react', { channel, ts, name, ...(add === undefined ? {} : { add }) });
  } catch (error) {
    toast(String(error.message ?? error), true);
  }
}

async function send(input, threadTs) {
  const text = input.value.trim();
  if (!text || state.current.kind !== 'channel') return;
  const channel = state.current.id;
  input.value = '';
  autoGrow(input);
  updateSendButton(input);
  hideSuggest(input);
  try {
    const result = await api('send', { channel, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    if (!result.ok) {
      if (result.message) notice(channel, threadTs, result.message);
      else if (result.command)
        notice(channel, threadTs, `${result.command} failed with the error "${result.error}"`);
      else toast(`The app didn't receive that (${result.error}).`, true);
    }
  } catch (error) {
    toast(String(error.message ?? error), true);
    input.value = text;
  }
}

function autoGrow(input) {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 240)}px`;
}

function updateSendButton(input) {
  input
    .closest('form')
    ?.querySelector('.send-button')
    ?.classList.toggle('ready', input.value.trim() !== '');
}

// Autocomplete for `/command` and `@mention`, like Slack's composer.
function suggestions(input) {
  const before = input.value.slice(0, input.selectionStart);
  const slash = /^\/([\w-]*)$/.exec(before);
  if (slash) {
    return {
      title: 'Commands',
      start: 0,
      items: [{ insert: '/pantheon ', main: '/pantheon', sub: '[what you want] · Pantheon' }].filter((i) =>
        i.insert.startsWith(`/${slash[1]}`),
      ),
    };
  }
  const at = /(^|\s)@([\w.-]*)$/.exec(before);
  if (at) {
    const q = at[2].toLowerCase();
    const people = [...state.users.values()]
      .filter(
        (u) => !u.deleted && (u.name.toLowerCase().startsWith(q) || u.real_name.toLowerCase().includes(q)),
      )
      .map((u) => ({
        insert: `@${u.name} `,
        main: u.real_name,
        sub: u.is_bot ? 'App' : `@${u.name}`,
        id: u.id,
      }));
    return { title: 'People and apps', start: before.length - at[2].length - 1, items: people };
  }
  return undefined;
}

function showSuggest(input) {
  const box = input.closest('.composer-wrap').querySelector('.suggest');
  const found = suggestions(input);
  if (!found || found.items.length === 0) return hideSuggest(input);
  const ctx = renderCtx();
  box.innerHTML = `<div class="suggest-title">${escapeHtml(found.title)}</div>${found.items
    .map(
      (item, i) =>
        `<div class="suggest-item${i === 0 ? ' selected' : ''}" data-suggest="${i}">${item.id ? renderAvatar(item.id, ctx, 'medium') : '<span class="avatar avatar-medium avatar-bot">/</span>'}<span class="suggest-main">${escapeHtml(item.main)}</span><span class="suggest-sub">${escapeHtml(item.sub)}</span></div>`,
    )
    .join('')}`;
  box.hidden = false;
  box._found = found;
}

function hideSuggest(input) {
  const box = input.closest('.composer-wrap')?.querySelector('.suggest');
  if (box) box.hidden = true;
}

function acceptSuggest(input, index) {
  const box = input.closest('.composer-wrap').querySelector('.suggest');
  const found = box._found;
  const item = found?.items[index];
  if (!item) return false;
  const after = input.value.slice(input.selectionStart);
  input.value = input.value.slice(0, found.start) + item.insert + after;
  const caret = found.start + item.insert.length;
  input.setSelectionRange(caret, caret);
  hideSuggest(input);
  updateSendButton(input);
  return true;
}

// ---- events --------------------------------------------------------------------------------------

function messageContext(el) {
  const row = el.closest('.msg');
  return row
    ? { channel: row.dataset.channel, ts: row.dataset.ts, ephemeral: row.dataset.ephemeral === 'true', row }
    : undefined;
}

async function runAction(el, value) {
  const confirm = el.dataset.confirm ? JSON.parse(el.dataset.confirm) : undefined;
  if (confirm && !(await confirmDialog(confirm))) return;
  const url = el.dataset.url ?? el.selectedOptions?.[0]?.dataset.url;
  if (url) window.open(url, '_blank', 'noopener');
  const form = el.closest('form.modal');
  const message = messageContext(el);
  const body = {
    actionId: el.dataset.actionId,
    blockId: el.dataset.blockId,
    ...(value !== undefined && value !== null ? { value } : {}),
    ...(form ? { viewId: form.dataset.viewId } : { channel: message?.channel, messageTs: message?.ts }),
  };
  if (!body.actionId) return;
  const isButton = el.dataset.kind === 'button';
  if (isButton) el.classList.add('loading');
  try {
    const result = await api('click', body);
    if (!result.ok)
      toast(
        result.error === 'operation_timeout'
          ? 'The app took too long to respond.'
          : `The app responded with an error (${result.status ?? result.error}).`,
        true,
      );
  } catch (error) {
    toast(String(error.message ?? error), true);
  } finally {
    if (isButton) el.classList.remove('loading');
  }
}

function bindEvents() {
  document.addEventListener('click', async (event) => {
    const t = event.target instanceof Element ? event.target : null;
    if (!t) return;
    if (!t.closest('#picker') && !t.closest('[data-open-picker]')) $('#picker').hidden = true;
    if (!t.closest('#user-menu') && !t.closest('#user-switcher')) $('#user-menu').hidden = true;

    const el = (selector) => t.closest(selector);
    let hit;
    if ((hit = el('#user-switcher'))) return $('#user-menu').hidden ? openUserMenu() : closePopups();
    if ((hit = el('[data-switch-user]'))) {
      closePopups();
      return switchUser(hit.dataset.switchUser);
    }
    if ((hit = el('[data-go]'))) return go({ kind: 'channel', id: hit.dataset.go });
    if ((hit = el('[data-go-inbox]'))) return go({ kind: 'inbox' });
    if ((hit = el('[data-open-dm]'))) return void openDm();
    if ((hit = el('.sk-channel-link[data-channel]'))) {
      const id = hit.dataset.channel;
      if (state.conversations.get(id)?.members.includes(state.me)) go({ kind: 'channel', id });
      return;
    }
    if ((hit = el('[data-open-thread]'))) {
      const ctx = messageContext(hit);
      state.thread = { channel: ctx.channel, ts: hit.dataset.openThread || ctx.ts };
      return renderThread();
    }
    if ((hit = el('[data-open-thread-from-action]'))) {
      const ctx = messageContext(hit);
      state.thread = { channel: ctx.channel, ts: ctx.ts };
      renderThread();
      return $('#thread-input')?.focus();
    }
    if ((hit = el('[data-close-thread]'))) {
      state.thread = null;
      return renderThread();
    }
    if ((hit = el('[data-quick-reaction]'))) {
      const ctx = messageContext(hit);
      return void react(ctx.channel, ctx.ts, hit.dataset.quickReaction);
    }
    if ((hit = el('[data-reaction]'))) {
      const ctx = messageContext(hit);
      return void react(
        ctx.channel,
        ctx.ts,
        hit.dataset.reaction,
        hit.getAttribute('aria-pressed') !== 'true',
      );
    }
    if ((hit = el('[data-open-picker]'))) {
      const ctx = messageContext(hit);
      return openPicker(hit, ctx);
    }
    if ((hit = el('[data-pick]'))) {
      $('#picker').hidden = true;
      if (pickerTarget) void react(pickerTarget.channel, pickerTarget.ts, hit.dataset.pick, true);
      return;
    }
    if ((hit = el('[data-dismiss-ephemeral]'))) {
      state.dismissed.add(messageContext(hit).ts);
      return schedule('messages', 'thread');
    }
    if ((hit = el('.bk-button[data-kind="button"]'))) return void runAction(hit, hit.dataset.value);
    if ((hit = el('[data-modal-close-all]'))) return void closeModal(hit.closest('form'), true);
    if ((hit = el('[data-modal-close]')) || (hit = el('[data-modal-back]')))
      return void closeModal(hit.closest('form'), false);
    if ((hit = el('[data-open-mail]'))) return void openMail(hit.dataset.openMail);
    if ((hit = el('[data-wrap]'))) {
      const input = hit.closest('form').querySelector('textarea');
      const { selectionStart: s, selectionEnd: e, value } = input;
      const mark = hit.dataset.wrap;
      input.value = `${value.slice(0, s)}${mark}${value.slice(s, e)}${mark}${value.slice(e)}`;
      input.focus();
      input.setSelectionRange(s + 1, e + 1);
      return updateSendButton(input);
    }
    if ((hit = el('[data-insert]'))) {
      const input = hit.closest('form').querySelector('textarea');
      const prefix = hit.dataset.insert === '/' ? '' : input.value && !/\s$/.test(input.value) ? ' ' : '';
      input.value =
        hit.dataset.insert === '/' ? `/${input.value.replace(/^\//, '')}` : `${input.value}${prefix}@`;
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
      showSuggest(input);
      return updateSendButton(input);
    }
    if ((hit = el('[data-suggest]'))) {
      const input = hit.closest('.composer-wrap').querySelector('textarea');
      acceptSuggest(input, Number(hit.dataset.suggest));
      return input.focus();
    }
  });

  document.addEventListener('change', (event) => {
    const t = event.target;
    if (!(t instanceof Element)) return;
    const select = t.closest('[data-kind="select"]');
    if (select) {
      const value = select.value;
      if (select.classList.contains('bk-overflow-select')) select.value = '';
      if (value) void runAction(select, value);
      return;
    }
    if (t.matches('[data-kind="choice"]')) void runAction(t, t.value);
    // Editing a field clears its error, as in Slack.
    const block = t.closest('.modal .bk-input-block.bk-has-error');
    if (block) {
      block.classList.remove('bk-has-error');
      $('.bk-error', block)?.remove();
    }
  });

  document.addEventListener('input', (event) => {
    const t = event.target;
    if (!(t instanceof HTMLTextAreaElement) || !t.closest('[data-composer]')) return;
    autoGrow(t);
    updateSendButton(t);
    showSuggest(t);
  });

  document.addEventListener('keydown', (event) => {
    const t = event.target;
    if (event.key === 'Escape') {
      closePopups();
      const form = $('#modal-layer form.modal');
      if (form && !$('#modal-layer').hidden) return void closeModal(form, false);
      if (state.thread) {
        state.thread = null;
        renderThread();
      }
      return;
    }
    if (t instanceof HTMLTextAreaElement && t.closest('[data-composer]')) {
      const box = t.closest('.composer-wrap').querySelector('.suggest');
      if (!box.hidden && (event.key === 'Enter' || event.key === 'Tab')) {
        const selected = $('.suggest-item.selected', box);
        if (selected) {
          event.preventDefault();
          acceptSuggest(t, Number(selected.dataset.suggest));
          return;
        }
      }
      if (!box.hidden && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
        event.preventDefault();
        const items = $$('.suggest-item', box);
        const i = items.findIndex((x) => x.classList.contains('selected'));
        const next = (i + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
        items.forEach((x, j) => x.classList.toggle('selected', j === next));
        return;
      }
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        void send(t, t.id === 'thread-input' ? state.thread?.ts : undefined);
      }
    }
  });

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    if (form.matches('form.modal')) return void submitModal(form);
    if (form.matches('[data-composer]')) {
      const input = form.querySelector('textarea');
      return void send(input, input.id === 'thread-input' ? state.thread?.ts : undefined);
    }
    if (form.id === 'mail-reply-form') return void sendMailReply(form);
  });

  document.addEventListener(
    'load',
    (event) => {
      const box =
        event.target instanceof HTMLImageElement ? event.target.closest('#messages, #thread-scroll') : null;
      if (box && (box.id === 'thread-scroll' || box.dataset.pinned === 'true'))
        box.scrollTop = box.scrollHeight;
    },
    true,
  );
  $('#app').addEventListener(
    'scroll',
    (event) => {
      const box = event.target;
      if (box instanceof HTMLElement && box.id === 'messages')
        box.dataset.pinned = String(box.scrollHeight - box.scrollTop - box.clientHeight < 80);
    },
    true,
  );

  window.addEventListener('hashchange', () => {
    const target = targetFromHash();
    if (target && JSON.stringify(target) !== JSON.stringify(state.current)) go(target);
  });
}

async function sendMailReply(form) {
  const input = $('#mail-reply-input', form);
  const text = input.value.trim();
  if (!text || !state.mailDetail) return;
  const button = $('[data-testid="mail-send"]', form);
  button.disabled = true;
  try {
    const result = await api('mail/reply', { id: state.mailDetail.id, text });
    input.value = '';
    if (result.ok) toast('Reply sent');
    else toast(`Reply not delivered: ${result.error}`, true);
  } catch (error) {
    toast(String(error.message ?? error), true);
  } finally {
    button.disabled = false;
  }
}

function targetFromHash() {
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash === 'inbox') return { kind: 'inbox' };
  if (hash && state.conversations.has(hash)) return { kind: 'channel', id: hash };
  return undefined;
}

// ---- boot ----------------------------------------------------------------------------------------

async function boot() {
  await fetchState();
  const params = new URLSearchParams(location.search);
  const wanted = params.get('as') ?? localStorage.getItem('local-slack.user');
  const people = humans();
  state.me = people.find((u) => u.id === wanted || u.name === wanted)?.id ?? people[0]?.id ?? '';
  if (state.mail.enabled) {
    const response = await fetch('/ui/api/mail');
    state.mails = (await response.json()).mails ?? [];
  }
  state.current = targetFromHash() ?? {
    kind: 'channel',
    id: [...state.conversations.values()].find((c) => c.name === 'ops')?.id ?? 'C_GENERAL',
  };
  renderFrame();
  bindEvents();
  renderAll();
  if (state.current.kind === 'inbox') void loadMails();
  connect();
  document.body.dataset.ready = 'true';
}

boot().catch((error) => {
  $('#app').innerHTML =
    `<div class="boot">Could not load the workspace: ${escapeHtml(String(error.message ?? error))}</div>`;
});
