import type { DeliveryRequest } from '../../core/delivery/contract';
import type { SlackMessage } from './blocks/kit';

/**
 * `chat.postMessage` of a message, in a thread when `threadTs` is set, never unfurled; the caller
 * adds the idempotency key and the run (the delivery queue's de-duplication and audit).
 */
export function postMessage(
  channel: string,
  message: SlackMessage,
  threadTs?: string,
): Omit<DeliveryRequest, 'idempotencyKey' | 'runId'> {
  return {
    channel,
    method: 'chat.postMessage',
    args: {
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    },
  };
}
