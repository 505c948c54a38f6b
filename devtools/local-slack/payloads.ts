import { randomUUID } from 'node:crypto';
import type { ConversationRecord, SlackMessage, SlackView } from './types';
import type { Workspace } from './workspace';

/** The request bodies Slack sends an app, built from workspace state in Slack's exact field names. */

export interface PayloadContext {
  ws: Workspace;
  /** The legacy verification token Slack still puts in every payload. */
  verificationToken: string;
}

/** `{ id, username, name, team_id }`: how interaction payloads name the acting user. */
export function userRef({ ws }: PayloadContext, userId: string): Record<string, string> {
  const user = ws.directory.user(userId);
  const name = user?.name ?? userId;
  return { id: userId, username: name, name, team_id: user?.team_id ?? ws.team.id };
}

function channelRef(record: ConversationRecord): Record<string, string> {
  return { id: record.id, name: record.kind === 'im' ? 'directmessage' : record.name };
}

export function channelType(record: ConversationRecord): string {
  return { public: 'channel', private: 'group', im: 'im', mpim: 'mpim' }[record.kind];
}

/** An Events API envelope (`event_callback`) around one event. */
export function eventCallback(
  ctx: PayloadContext,
  event: Record<string, unknown>,
  eventId: string,
): Record<string, unknown> {
  const { ws } = ctx;
  return {
    token: ctx.verificationToken,
    team_id: ws.team.id,
    context_team_id: ws.team.id,
    context_enterprise_id: null,
    api_app_id: ws.bot.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(ws.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ws.team.id,
        user_id: ws.bot.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(`${ws.team.id}:${eventId}`).toString('base64url')}`,
  };
}

/** A user's message as the `message` / `app_mention` event carries it. */
export function messageEvent(
  type: 'message' | 'app_mention',
  channel: ConversationRecord,
  message: SlackMessage,
): Record<string, unknown> {
  return {
    type,
    user: message.user,
    text: message.text,
    ts: message.ts,
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    ...(message.client_msg_id ? { client_msg_id: message.client_msg_id } : {}),
    team: message.team,
    channel: channel.id,
    event_ts: message.ts,
    ...(type === 'message' ? { channel_type: channelType(channel) } : {}),
  };
}

export interface SlashCommandFields {
  user: string;
  channel: ConversationRecord;
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}

/** A slash command: form-encoded fields, not JSON. */
export function slashCommandForm(ctx: PayloadContext, fields: SlashCommandFields): URLSearchParams {
  const { ws } = ctx;
  return new URLSearchParams({
    token: ctx.verificationToken,
    team_id: ws.team.id,
    team_domain: ws.team.domain,
    channel_id: fields.channel.id,
    channel_name: channelRef(fields.channel).name ?? fields.channel.id,
    user_id: fields.user,
    user_name: ws.directory.user(fields.user)?.name ?? fields.user,
    command: fields.command,
    text: fields.text,
    api_app_id: ws.bot.appId,
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  });
}

/** Fields every interaction payload shares. */
function interactionBase(ctx: PayloadContext, type: string, user: string): Record<string, unknown> {
  const { ws } = ctx;
  return {
    type,
    user: userRef(ctx, user),
    api_app_id: ws.bot.appId,
    token: ctx.verificationToken,
    team: { id: ws.team.id, domain: ws.team.domain },
    enterprise: null,
    is_enterprise_install: false,
  };
}

export interface MessageActionFields {
  user: string;
  channel: ConversationRecord;
  /** The message holding the element; absent for an ephemeral, which Slack does not echo back. */
  message?: SlackMessage;
  messageTs: string;
  ephemeral: boolean;
  action: Record<string, unknown>;
  responseUrl: string;
  triggerId: string;
}

export function messageBlockActions(ctx: PayloadContext, f: MessageActionFields): Record<string, unknown> {
  const threadTs = f.message?.thread_ts;
  return {
    ...interactionBase(ctx, 'block_actions', f.user),
    container: {
      type: 'message',
      message_ts: f.messageTs,
      channel_id: f.channel.id,
      is_ephemeral: f.ephemeral,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    },
    trigger_id: f.triggerId,
    channel: channelRef(f.channel),
    ...(f.message ? { message: f.message } : {}),
    state: { values: {} },
    response_url: f.responseUrl,
    actions: [f.action],
  };
}

export function viewBlockActions(
  ctx: PayloadContext,
  user: string,
  view: SlackView,
  action: Record<string, unknown>,
  triggerId: string,
): Record<string, unknown> {
  return {
    ...interactionBase(ctx, 'block_actions', user),
    container: { type: 'view', view_id: view.id },
    trigger_id: triggerId,
    view,
    actions: [action],
  };
}

export function viewSubmission(
  ctx: PayloadContext,
  user: string,
  view: SlackView,
  triggerId: string,
): Record<string, unknown> {
  return { ...interactionBase(ctx, 'view_submission', user), trigger_id: triggerId, view, response_urls: [] };
}

export function viewClosed(
  ctx: PayloadContext,
  user: string,
  view: SlackView,
  isCleared: boolean,
): Record<string, unknown> {
  return { ...interactionBase(ctx, 'view_closed', user), view, is_cleared: isCleared };
}

export function newEventId(): string {
  return `Ev${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}`;
}

export function newClientMsgId(): string {
  return randomUUID();
}
