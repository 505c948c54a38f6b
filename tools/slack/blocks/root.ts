import type { KnownBlock } from '@slack/types';
import type { RunInfo, RunStatus, SlackTarget } from '../models';
import { elapsedMs, formatDuration } from './duration';
import { context, section } from './kit';
import type { SlackMessage } from './kit';
import { clip, escapeMrkdwn, limits, slackDate } from './mrkdwn';

const icons: Record<RunStatus['state'], string> = {
  running: '⏳',
  waiting: '⏸️',
  completed: '✅',
  failed: '❌',
  cancelled: '⏹️',
};

function stepOf(status: RunStatus): string {
  if (status.step === 0) return 'Starting';
  return status.totalSteps ? `Step ${status.step} of ${status.totalSteps}` : `Step ${status.step}`;
}

/** `⏳ Step 2 of 4 · Assessing risk · 3.1s` — or the outcome once the run has ended. */
export function statusLine(run: RunInfo, status: RunStatus): string {
  const took = formatDuration(elapsedMs(run.startedAt, status.at));
  const icon = icons[status.state];
  switch (status.state) {
    case 'completed':
      return `${icon} Completed in ${took}`;
    case 'cancelled':
      return `${icon} Cancelled after ${took}`;
    case 'failed':
      return `${icon} Failed after ${took}`;
    case 'waiting':
      return `${icon} ${stepOf(status)} · waiting for ${escapeMrkdwn(status.waitingFor ?? 'input')} · ${took}`;
    case 'running':
      return `${icon} ${stepOf(status)}${status.current ? ` · ${escapeMrkdwn(status.current)}` : ''} · ${took}`;
  }
}

/** The run's root message: workflow, who started it, live status, link to the run in Temporal. */
export function rootMessage(target: SlackTarget, run: RunInfo, status: RunStatus, url: string): SlackMessage {
  const line = statusLine(run, status);
  const started = slackDate(new Date(run.startedAt), { fallback: run.startedAt });
  const blocks: KnownBlock[] = [
    section(`*${escapeMrkdwn(run.workflow)}* · started by <@${target.user}>\n${line}`),
  ];
  if (status.failure) {
    blocks.push(section(`*${escapeMrkdwn(status.failure.type)}*: ${escapeMrkdwn(status.failure.message)}`));
  }
  blocks.push(
    context(`Run \`${escapeMrkdwn(run.workflowId)}\` · <${url}|Open in Temporal> · started ${started}`),
  );
  const fallback = `${line.replace(/\*/g, '')} — ${run.workflow} (${run.workflowId})`;
  // The fallback is for notifications; the thread's failure message has the whole text.
  const text = status.failure
    ? clip(`${fallback}: ${status.failure.type}: ${status.failure.message}`, limits.sectionText)
    : fallback;
  return { text, blocks };
}
