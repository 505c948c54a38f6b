import type { RunStatus } from '../models';
import { context } from './kit';
import type { SlackMessage } from './kit';
import { escapeMrkdwn } from './mrkdwn';

/** The thread line for a new step or a wait; a resume only refreshes the root, so it has none. */
export function progressLine(
  status: RunStatus,
  change: 'step' | 'waiting' | 'resumed',
): SlackMessage | undefined {
  if (change === 'resumed') return undefined;
  const of = status.totalSteps ? ` of ${status.totalSteps}` : '';
  const text =
    change === 'waiting'
      ? `⏸️ Waiting for ${escapeMrkdwn(status.waitingFor ?? 'input')}`
      : `▸ *Step ${status.step}${of}* · ${escapeMrkdwn(status.current ?? 'working')}`;
  return {
    text: text.replace(/\*/g, ''),
    blocks: [context(text)],
  };
}
