import { describeFailure } from '../../cli/failure';
import { escapeMrkdwn } from '../../tools/slack/blocks/mrkdwn';
import { recentRunsReply, runStatusReply } from '../blocks/status';
import { textMessage } from '../../tools/slack/blocks/kit';
import { describeRun, mayView } from '../runs/describe';
import { TemporalUnavailableError } from '../runs/temporal';
import type { CommandContext } from './context';

/** `status [run-id]`: one run with its feedback, or the caller's recent runs. */
export async function status(ctx: CommandContext, runId: string | undefined): Promise<void> {
  const { deps, caller } = ctx;
  if (!runId) {
    const logged = await deps.runLog.recent(`slack:${caller.user}`);
    const described = await Promise.all(
      logged.map(async (entry) => ({
        logged: entry,
        run: await describeRun(deps, entry.workflowId).catch((error: unknown) => {
          if (error instanceof TemporalUnavailableError) throw error;
          return undefined; // e.g. deleted by retention
        }),
      })),
    );
    await ctx.reply(recentRunsReply(described));
    return;
  }
  const run = await describeRun(deps, runId);
  if (!(await mayView(deps, run, caller))) {
    await ctx.reply(
      textMessage(
        `🔒 \`${escapeMrkdwn(runId)}\` is a run of \`${escapeMrkdwn(run.workflow)}\`, which you can't run here.`,
      ),
    );
    return;
  }
  const failure =
    run.status === 'FAILED'
      ? await deps.temporal(() => deps.runs.result(runId)).then(() => undefined, describeFailure)
      : undefined;
  const approvals = (await deps.approvalLines?.(runId).catch(() => [])) ?? [];
  await ctx.reply(runStatusReply(run, await deps.feedback.forRun(runId), failure, approvals));
}
