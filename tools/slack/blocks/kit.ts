import type {
  ActionsBlock,
  ActionsBlockElement,
  Button,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { clip, limits, splitText } from './mrkdwn';

/**
 * Block Kit primitives: every Slack message (run threads, bot replies, approval cards, the budget
 * question) is built from these, so each block kind is shaped and kept within Slack's limits in
 * one place. Texts are mrkdwn the caller has already escaped (`escapeMrkdwn`) where needed.
 */

/** A message: blocks, and the plain text Slack shows in notifications. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

/** Plain text cut to `max` (a label: never output). */
export function plainText(
  text: string,
  max: number = limits.headerText,
  { emoji }: { readonly emoji?: boolean } = {},
): PlainTextElement {
  return { type: 'plain_text', text: clip(text, max), ...(emoji ? { emoji } : {}) };
}

/** One section; text past Slack's 3,000 characters is cut (use `sections` for output). */
export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(clip(text, limits.sectionText)) };
}

/** Text as sections of at most 3,000 characters each (split at line breaks), nothing dropped. */
export function sections(text: string): SectionBlock[] {
  return splitText(text, limits.sectionText).map((chunk) => ({ type: 'section', text: mrkdwn(chunk) }));
}

/** Two-column fields, ten to a section (each cut to Slack's 2,000 characters). */
export function fieldSections(texts: readonly string[]): SectionBlock[] {
  const blocks: SectionBlock[] = [];
  for (let i = 0; i < texts.length; i += limits.fields) {
    blocks.push({
      type: 'section',
      fields: texts.slice(i, i + limits.fields).map((text) => mrkdwn(clip(text, limits.fieldText))),
    });
  }
  return blocks;
}

/** A small grey line under a message: links, who, when. */
export function context(text: string): ContextBlock {
  return { type: 'context', elements: [mrkdwn(clip(text, limits.sectionText))] };
}

export function header(text: string, options: { readonly emoji?: boolean } = {}): HeaderBlock {
  return { type: 'header', text: plainText(text, limits.headerText, options) };
}

export interface ButtonOptions {
  readonly actionId: string;
  readonly text: string;
  /** What the click carries back; at most 2,000 characters (the caller keeps it whole: it is data). */
  readonly value?: string;
  readonly style?: 'primary' | 'danger';
}

export function button({ actionId, text, value, style }: ButtonOptions): Button {
  return {
    type: 'button',
    action_id: actionId,
    ...(style ? { style } : {}),
    text: plainText(text, limits.buttonText),
    ...(value !== undefined ? { value } : {}),
  };
}

export function actions(elements: ActionsBlockElement[], blockId?: string): ActionsBlock {
  return { type: 'actions', ...(blockId ? { block_id: blockId } : {}), elements };
}

/** A plain message: the text as sections, and (cut to 3,000 characters) as the notification text. */
export function textMessage(text: string): SlackMessage {
  return { text: clip(text, limits.sectionText), blocks: sections(text) };
}
