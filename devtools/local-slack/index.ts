/**
 * A local Slack that speaks Slack's wire protocols: the Web API for the app's WebClient, and signed
 * Events API / slash command / interactivity requests to the app. Test fixture and local workspace.
 */
export { LocalSlackServer, type LocalSlackOptions, type StartOptions } from './server';
export type {
  LocalSlackChange,
  LocalSlackEvent,
  LocalSlackEventType,
  EventOfType,
  WaitOptions,
} from './change-feed';
export type { Delivered, DeliveryOptions, SignatureMode, AppRequest } from './delivery';
export type { FailureSpec, RateLimitSpec } from './faults';
export type { PostRateOptions } from './call-log';
export type { EventDelivered, ReactionInput, UserMessageInput } from './user-events';
export type {
  ClickInput,
  CloseInput,
  InteractionResult,
  SlashCommandInput,
  SlashCommandResult,
  SubmitInput,
  SubmitOutcome,
  SubmitResult,
} from './user-interactions';
export type { EnteredValue, EnteredValues } from './view-state';
export {
  DEFAULT_WORKSPACE,
  type WorkspaceSeed,
  type UserSeed,
  type ChannelSeed,
  type UsergroupSeed,
  type BotSeed,
} from './seed';
export type { WorkspaceSnapshot } from './workspace';
export { slackSignature, signatureHeaders } from './signing';
export type * from './types';
