import type { KnownBlock } from '@slack/types';
import type { RunInfo, RunStatus } from '../models';
import { elapsedMs, formatDuration } from './duration';
import { context, fieldSections, header, section, sections } from './kit';
import type { SlackMessage } from './kit';
import { codeSections, escapeMrkdwn, limits, splitText } from './mrkdwn';

/** A result message, and the full output as a file when it is too long to read inline. */
export interface ResultMessage extends SlackMessage {
  readonly file?: { readonly filename: string; readonly content: string; readonly title: string };
}

/** Inline up to this many characters of output (about four screens); longer goes up as a file. */
export const inlineLimit = 12_000;
const reserved = 4; // header, summary, divider, footer

type Scalar = string | number | boolean | null;
const isScalar = (value: unknown): value is Scalar =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

function scalarText(value: Scalar): string {
  return typeof value === 'string' ? escapeMrkdwn(value) : `\`${String(value)}\``;
}

/** `{ vendor: 'acme', amount: 12 }` → two-column fields, ten per section. */
function fieldBlocks(record: Record<string, Scalar>): KnownBlock[] | undefined {
  const fields = Object.entries(record).map(([key, value]) => `*${escapeMrkdwn(key)}*\n${scalarText(value)}`);
  // A field Slack would cut: the record goes as JSON instead, whole.
  if (fields.some((field) => field.length > limits.fieldText)) return undefined;
  return fieldSections(fields);
}

/** The output as blocks, or undefined when it does not fit a message and must be a file. */
function outputBlocks(result: unknown): KnownBlock[] | undefined {
  if (result === undefined) return [section('_No output._')];
  const json = typeof result === 'string' ? result : JSON.stringify(result, null, 2);
  if (json.length > inlineLimit) return undefined;
  let blocks: KnownBlock[] | undefined;
  if (typeof result === 'string') blocks = sections(escapeMrkdwn(result));
  else if (
    result &&
    typeof result === 'object' &&
    !Array.isArray(result) &&
    Object.values(result).every(isScalar)
  ) {
    blocks = Object.keys(result).length > 0 ? fieldBlocks(result as Record<string, Scalar>) : undefined;
  }
  blocks ??= codeSections(json).map(section);
  return blocks.length + reserved <= limits.messageBlocks ? blocks : undefined;
}

function footer(run: RunInfo, url: string): KnownBlock {
  return context(
    `Run \`${escapeMrkdwn(run.workflowId)}\` · <${url}|Open in Temporal> · react 👍 or 👎 to tell us how it went`,
  );
}

/** The result in the thread: fields for a flat record, text for a string, JSON otherwise; a file when long. */
export function resultMessage(run: RunInfo, status: RunStatus, result: unknown, url: string): ResultMessage {
  const took = formatDuration(elapsedMs(run.startedAt, status.at));
  const title = header('✅ Result', { emoji: true });
  const summary = context(`*${escapeMrkdwn(run.workflow)}* completed in ${took}`);
  const inline = outputBlocks(result);
  if (inline) {
    return {
      text: `✅ ${run.workflow} completed in ${took}`,
      blocks: [title, summary, ...inline, footer(run, url)],
    };
  }
  const isText = typeof result === 'string';
  const content = isText ? result : JSON.stringify(result, null, 2);
  const size = new TextEncoder().encode(content).length;
  const kb = size >= 1024 ? `${(size / 1024).toFixed(1)} KB` : `${size} bytes`;
  return {
    text: `✅ ${run.workflow} completed in ${took}; the full result (${kb}) is attached`,
    blocks: [
      title,
      summary,
      section(`The result is ${kb}, too long to show here: it is attached below in full.`),
      footer(run, url),
    ],
    file: {
      filename: `${run.workflowId}-result.${isText ? 'txt' : 'json'}`,
      title: `${run.workflow} result`,
      content,
    },
  };
}

/** The failure in the thread: type and the whole message, split across sections if it is long. */
export function failureMessage(run: RunInfo, status: RunStatus, url: string): SlackMessage {
  const took = formatDuration(elapsedMs(run.startedAt, status.at));
  if (status.state === 'cancelled') {
    return {
      text: `⏹️ ${run.workflow} was cancelled after ${took}`,
      blocks: [section(`⏹️ *Cancelled* after ${took}`), footer(run, url)],
    };
  }
  const failure = status.failure ?? { type: 'Error', message: 'unknown failure' };
  const chunks = splitText(escapeMrkdwn(failure.message), limits.sectionText);
  const room = limits.messageBlocks - reserved - 1;
  const details: KnownBlock[] = chunks.slice(0, room).map(section);
  if (chunks.length > room) {
    details.push(
      context(`The message goes on for ${chunks.length - room} more sections: see the run in Temporal.`),
    );
  }
  return {
    text: `❌ ${run.workflow} failed after ${took}: ${failure.type}: ${failure.message}`.slice(
      0,
      limits.sectionText,
    ),
    blocks: [
      header('❌ Failed', { emoji: true }),
      section(`*${escapeMrkdwn(failure.type)}* after ${took}`),
      ...details,
      footer(run, url),
    ],
  };
}
