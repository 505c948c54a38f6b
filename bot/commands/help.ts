import { toolCatalogue } from '../../config/tools';
import { overviewHelp, toolsHelp, workflowHelp } from '../blocks/help';
import type { CommandContext } from './context';
import { findRunnable } from './find-workflow';

/**
 * `help [workflow | tools]`: the commands, one workflow's inputs (only workflows the caller may
 * run), or the tool catalogue.
 */
export async function help(ctx: CommandContext, workflow: string | undefined): Promise<void> {
  if (!workflow) {
    await ctx.reply(overviewHelp(await ctx.caller.runnable(ctx.deps.runs.workflows.list())));
    return;
  }
  if (workflow === 'tools' && !ctx.deps.runs.workflows.has('tools')) {
    await ctx.reply(toolsHelp(await toolCatalogue()));
    return;
  }
  const definition = await findRunnable(ctx, workflow);
  if (definition) await ctx.reply(workflowHelp(definition));
}
