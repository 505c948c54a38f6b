import { workflowList } from '../blocks/list';
import type { CommandContext } from './context';

/** `list [label]`: what the caller may run here. */
export async function list(ctx: CommandContext, label: string | undefined): Promise<void> {
  const workflows = ctx.deps.runs.workflows.list(label ? { labels: [label] } : {});
  await ctx.reply(workflowList(await ctx.caller.runnable(workflows), label));
}
