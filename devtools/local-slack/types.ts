/**
 * The local Slack's data model, in Slack's own wire shapes. Everything here is plain JSON (no classes,
 * Buffers or functions) because state and change events are sent as-is to a browser UI.
 */

/** A Block Kit block as Slack accepts it; validated in block-kit.ts, otherwise kept verbatim. */
export interface Block {
  type: string;
  block_id?: string;
  [key: string]: unknown;
}

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface SlackTeam {
  id: string;
  name: string;
  domain: string;
}

/** The app's bot: its user (what `<@U…>` mentions), its bot id (on messages) and its app id. */
export interface BotIdentity {
  userId: string;
  botId: string;
  appId: string;
  name: string;
}

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  is_admin: boolean;
  is_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  enterprise_user?: { id: string; enterprise_id: string };
  tz: string;
  tz_label: string;
  tz_offset: number;
  updated: number;
  profile: {
    real_name: string;
    display_name: string;
    title: string;
    email?: string;
    image_48: string;
    team: string;
    bot_id?: string;
    api_app_id?: string;
  };
}

export type ConversationKind = 'public' | 'private' | 'im' | 'mpim';

/** Internal record of a conversation; `renderConversation` turns it into Slack's object. */
export interface ConversationRecord {
  id: string;
  name: string;
  kind: ConversationKind;
  created: number;
  creator: string;
  isGeneral: boolean;
  isArchived: boolean;
  topic: string;
  purpose: string;
  members: string[];
  /** For an IM: the human on the other side of the app's DM. */
  imUser?: string;
}

export interface SlackUsergroup {
  id: string;
  team_id: string;
  is_usergroup: true;
  name: string;
  handle: string;
  description: string;
  is_external: false;
  date_create: number;
  date_update: number;
  date_delete: 0;
  created_by: string;
  updated_by: string;
  user_count: number;
  users: string[];
}

export interface SlackReaction {
  name: string;
  users: string[];
  count: number;
}

export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  user_team: string;
  size: number;
  mode: 'hosted' | 'snippet';
  is_external: false;
  is_public: boolean;
  alt_txt?: string;
  url_private: string;
  url_private_download: string;
  permalink: string;
  channels: string[];
  groups: string[];
  ims: string[];
}

export interface SlackMessage {
  type: 'message';
  subtype?: string;
  ts: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  text: string;
  blocks?: Block[];
  attachments?: Record<string, unknown>[];
  metadata?: MessageMetadata;
  files?: SlackFile[];
  upload?: boolean;
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  reactions?: SlackReaction[];
  bot_profile?: {
    id: string;
    app_id: string;
    name: string;
    team_id: string;
    deleted: boolean;
    updated: number;
  };
  client_msg_id?: string;
  hidden?: boolean;
}

/** An ephemeral message: seen only by `user`, never stored in the channel's history. */
export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  thread_ts?: string;
  via: 'chat.postEphemeral' | 'response_url' | 'ack';
  message: SlackMessage;
}

export type ViewStateValue = { type: string } & Record<string, unknown>;
export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

export interface SlackView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: TextObject;
  submit: TextObject | null;
  close: TextObject | null;
  blocks: Block[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: ViewStateValues };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface ViewRecord {
  view: SlackView;
  user: string;
  open: boolean;
  /** The errors of the app's last `response_action: 'errors'`, shown under the inputs. */
  errors?: Record<string, string>;
}

/** One Web API request as the server answered it. `args` has JSON fields decoded and no token. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  status: number;
  response: Record<string, unknown>;
}

/** What the app POSTed to a response_url (or answered in an ack), and what it did. */
export interface ResponseUrlPost {
  responseUrl: string;
  via: 'response_url' | 'ack';
  at: number;
  body: Record<string, unknown>;
  status: number;
  outcome: 'ephemeral' | 'in_channel' | 'replaced' | 'deleted' | 'rejected';
  error?: string;
}

export type DeliveryKind = 'events' | 'commands' | 'interactivity';
