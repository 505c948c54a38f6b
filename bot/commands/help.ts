import { workflowHelp, overviewHelp } from '../blocks/help';
import type { CommandContext } from './context';
import { findRunnable } from './find-workflow';

/** `help [workflow]`: the commands, or one workflow's inputs — only workflows the caller may run. */
export async function help(ctx: CommandContext, workflow: string | undefined): Promise<void> {
  if (!workflow) {
    await ctx.reply(overviewHelp(await ctx.caller.runnable(ctx.deps.runs.workflows.list())));
    return;
  }
  const definition = await findRunnable(ctx, workflow);
  if (definition) await ctx.reply(workflowHelp(definition));
}
