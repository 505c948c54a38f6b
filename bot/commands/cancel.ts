import { escapeMrkdwn } from '../../tools/slack/blocks/mrkdwn';
import { textMessage } from '../../tools/slack/blocks/kit';
import { describeRun, mayControl } from '../runs/describe';
import type { CommandContext } from './context';

/** `cancel <run-id>`: by whoever started it, an operator, or one of its approvers; the run's thread shows the end. */
export async function cancel(ctx: CommandContext, runId: string | undefined): Promise<void> {
  const { deps, caller } = ctx;
  if (!runId) {
    await ctx.reply(
      textMessage('Which run? `/pantheon cancel <run-id>` — `/pantheon status` lists your recent runs.'),
    );
    return;
  }
  const run = await describeRun(deps, runId);
  const id = `\`${escapeMrkdwn(runId)}\``;
  if (!(await mayControl(deps, run, caller))) {
    await ctx.reply(
      textMessage(
        `🔒 You can't cancel ${id}: only whoever started it${run.startedBy?.startsWith('slack:') ? ` (<@${run.startedBy.slice(6)}>)` : ''}, one of its approvers, or an operator (the \`operators\` role in the policy file) can.`,
      ),
    );
    return;
  }
  if (run.status !== 'RUNNING') {
    await ctx.reply(
      textMessage(`${id} has already ended (${run.status.toLowerCase()}); there is nothing to cancel.`),
    );
    return;
  }
  await deps.temporal(() => deps.runs.cancel(runId));
  await ctx.reply(
    textMessage(
      `⏹️ Cancellation requested for ${id} (*${escapeMrkdwn(run.workflow)}*). Its thread will say when it has stopped.`,
    ),
  );
}
