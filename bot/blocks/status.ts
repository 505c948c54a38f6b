import type { KnownBlock } from '@slack/types';
import type { RunStatus as RunDescription } from '../../core/runs';
import type { ProgressSnapshot } from '../../core/workflow/progress-contract';
import { formatDuration } from '../../tools/slack/blocks/duration';
import { escapeMrkdwn, slackDate } from '../../tools/slack/blocks/mrkdwn';
import type { Reply } from '../commands/context';
import type { FeedbackEntry } from '../feedback/store';
import type { LoggedRun } from '../runs/run-log';
import { context, fieldSections, sections, textMessage } from '../../tools/slack/blocks/kit';

const icons: Record<string, string> = {
  RUNNING: '⏳',
  COMPLETED: '✅',
  FAILED: '❌',
  CANCELLED: '⏹️',
  TERMINATED: '⛔',
  TIMED_OUT: '⌛',
  CONTINUED_AS_NEW: '↪️',
};

function progressText(progress: ProgressSnapshot | undefined): string | undefined {
  if (!progress || progress.step === 0) return undefined;
  const of = progress.totalSteps ? ` of ${progress.totalSteps}` : '';
  if (progress.state === 'waiting')
    return `step ${progress.step}${of} · waiting for ${escapeMrkdwn(progress.waitingFor ?? 'input')}`;
  return `step ${progress.step}${of}${progress.current ? ` · ${escapeMrkdwn(progress.current)}` : ''}`;
}

function stateLine(run: RunDescription): string {
  const state = run.status.charAt(0) + run.status.slice(1).toLowerCase().replace(/_/g, ' ');
  const progress = run.status === 'RUNNING' ? progressText(run.progress) : undefined;
  return `${icons[run.status] ?? '❔'} ${state}${progress ? ` · ${progress}` : ''}`;
}

function feedbackText(feedback: readonly FeedbackEntry[]): string {
  if (feedback.length === 0) return '_none yet_ — react 👍 or 👎 on the result';
  const by = (sentiment: FeedbackEntry['sentiment']) => feedback.filter((f) => f.sentiment === sentiment);
  const who = (entries: FeedbackEntry[]) => entries.map((f) => `<@${f.user}> :${f.reaction}:`).join(', ');
  const positive = by('positive');
  const negative = by('negative');
  return (
    [`👍 ${positive.length}`, `👎 ${negative.length}`].join(' · ') +
    (feedback.length ? `\n${who([...positive, ...negative])}` : '')
  );
}

/** `status <run-id>`: state, progress, who and when, outcome, feedback, link. */
export function runStatusReply(
  run: RunDescription,
  feedback: readonly FeedbackEntry[],
  failure?: { type: string; message: string },
  approvals: readonly string[] = [],
): Reply {
  const startedBy = run.startedBy?.startsWith('slack:')
    ? `<@${run.startedBy.slice(6)}>`
    : escapeMrkdwn(run.startedBy ?? 'unknown');
  const took = run.closedAt ? formatDuration(run.closedAt.getTime() - run.startedAt.getTime()) : undefined;
  const blocks: KnownBlock[] = [
    ...sections(`*${escapeMrkdwn(run.workflow)}* · \`${escapeMrkdwn(run.workflowId)}\`\n${stateLine(run)}`),
    ...fieldSections([
      `*Started by*\n${startedBy}`,
      `*Started*\n${slackDate(run.startedAt)}`,
      ...(took ? [`*Took*\n${took}`] : []),
      `*Feedback*\n${feedbackText(feedback)}`,
    ]),
  ];
  if (failure) blocks.push(...sections(`*${escapeMrkdwn(failure.type)}*: ${escapeMrkdwn(failure.message)}`));
  if (approvals.length > 0) {
    blocks.push(...sections(`*Approvals*\n${approvals.map((line) => `• ${escapeMrkdwn(line)}`).join('\n')}`));
  }
  blocks.push(context(`<${run.url}|Open in Temporal>`));
  return { text: `${run.workflow} ${run.workflowId}: ${run.status}`, blocks };
}

/** `status`: the caller's recent runs, newest first; a run Temporal no longer knows shows as such. */
export function recentRunsReply(runs: readonly { logged: LoggedRun; run?: RunDescription }[]): Reply {
  if (runs.length === 0)
    return textMessage(
      'You have not started any run from Slack yet. `/pantheon list` shows what you can run.',
    );
  const lines = runs.map(({ logged, run }) => {
    const state = run ? stateLine(run) : '❔ unknown to Temporal';
    return `• \`${escapeMrkdwn(logged.workflowId)}\` · *${escapeMrkdwn(logged.workflow)}* · ${state} · ${slackDate(logged.startedAt)}`;
  });
  return {
    text: `Your recent runs: ${runs.map((r) => r.logged.workflowId).join(', ')}`,
    blocks: [
      ...sections(`*Your recent runs*\n${lines.join('\n')}`),
      context('`/pantheon status <run-id>` for one run, `/pantheon cancel <run-id>` to stop it.'),
    ],
  };
}
