import type { KnownBlock } from '@slack/types';
import { limits, splitText } from '../../tools/slack/blocks/mrkdwn';
import type { Reply } from '../commands/context';

/** mrkdwn text as sections of at most 3,000 characters each (split at line breaks), nothing dropped. */
export function sections(text: string): KnownBlock[] {
  return splitText(text, limits.sectionText).map((chunk) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: chunk },
  }));
}

/** A plain reply: the text as sections, and as the notification fallback. */
export function textReply(text: string): Reply {
  return {
    text: text.length > limits.sectionText ? `${text.slice(0, limits.sectionText - 1)}…` : text,
    blocks: sections(text),
  };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}
