import { escapeMrkdwn } from '../../tools/slack/blocks/mrkdwn';
import { textReply } from '../blocks/sections';
import { describeRun, mayTouch } from '../runs/describe';
import type { CommandContext } from './context';

/** `cancel <run-id>`: by whoever started it or may run its workflow; the run's thread shows the end. */
export async function cancel(ctx: CommandContext, runId: string | undefined): Promise<void> {
  const { deps, caller } = ctx;
  if (!runId) {
    await ctx.reply(
      textReply('Which run? `/pantheon cancel <run-id>` — `/pantheon status` lists your recent runs.'),
    );
    return;
  }
  const run = await describeRun(deps, runId);
  const id = `\`${escapeMrkdwn(runId)}\``;
  if (!(await mayTouch(deps, run, caller))) {
    await ctx.reply(
      textReply(
        `🔒 ${id} is a run of \`${escapeMrkdwn(run.workflow)}\`, which you can't run here, so you can't cancel it either.`,
      ),
    );
    return;
  }
  if (run.status !== 'RUNNING') {
    await ctx.reply(
      textReply(`${id} has already ended (${run.status.toLowerCase()}); there is nothing to cancel.`),
    );
    return;
  }
  await deps.temporal(() => deps.runs.handle(runId).cancel());
  await ctx.reply(
    textReply(
      `⏹️ Cancellation requested for ${id} (*${escapeMrkdwn(run.workflow)}*). Its thread will say when it has stopped.`,
    ),
  );
}
