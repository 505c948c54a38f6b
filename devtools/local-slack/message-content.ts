import { SlackApiError } from './api-error';
import { type Args, isObject } from './args';
import { validateBlocks } from './block-kit';
import type { Block, MessageMetadata } from './types';

/** The visible content of a message, as chat.postMessage / chat.update / response_url receive it. */
export interface MessageContent {
  text?: string;
  blocks?: Block[];
  attachments?: Record<string, unknown>[];
  metadata?: MessageMetadata;
}

const MAX_TEXT = 40_000;
const MAX_ATTACHMENTS = 100;

/**
 * Reads and validates message content with Slack's message-level errors: `invalid_blocks_format`,
 * `invalid_blocks`, `invalid_attachments`, `too_many_attachments`, `msg_too_long`,
 * `invalid_metadata_format` and `no_text` (nothing to show at all).
 */
export function readMessageContent(args: Args): MessageContent {
  const content: MessageContent = {};

  const blocks = args.json('blocks', 'invalid_blocks_format');
  if (blocks !== undefined) {
    if (!Array.isArray(blocks))
      throw new SlackApiError('invalid_blocks_format', ['[ERROR] blocks must be an array']);
    const problems = validateBlocks(blocks, 'message');
    if (problems.length > 0) throw new SlackApiError('invalid_blocks', problems);
    content.blocks = blocks as Block[];
  }

  const attachments = args.json('attachments', 'invalid_attachments');
  if (attachments !== undefined) {
    if (!Array.isArray(attachments) || !attachments.every(isObject))
      throw new SlackApiError('invalid_attachments');
    if (attachments.length > MAX_ATTACHMENTS) throw new SlackApiError('too_many_attachments');
    content.attachments = attachments;
  }

  const text = args.string('text');
  if (text !== undefined) {
    if (text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
    content.text = text;
  }

  const metadata = args.json('metadata', 'invalid_metadata_format');
  if (metadata !== undefined) {
    if (!isObject(metadata) || typeof metadata.event_type !== 'string' || !isObject(metadata.event_payload)) {
      throw new SlackApiError('invalid_metadata_format');
    }
    content.metadata = { event_type: metadata.event_type, event_payload: metadata.event_payload };
  }

  const empty = !content.text && !content.blocks?.length && !content.attachments?.length;
  if (empty) throw new SlackApiError('no_text');
  return content;
}
