import { closestNames } from '../../core/suggest';
import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import { escapeMrkdwn } from '../../tools/slack/blocks/mrkdwn';
import { textMessage } from '../../tools/slack/blocks/kit';
import type { CommandContext } from './context';

/**
 * The workflow called `name` if the caller may run it here; otherwise replies why not (unknown:
 * the closest names they may run; not allowed: who may) and returns undefined.
 */
export async function findRunnable(
  ctx: CommandContext,
  name: string,
): Promise<WorkflowDefinition | undefined> {
  const { workflows } = ctx.deps.runs;
  if (!workflows.has(name)) {
    const runnable = await ctx.caller.runnable(workflows.list());
    const close = closestNames(
      name,
      runnable.map((w) => w.name),
    );
    const hint = close.length ? ` Did you mean ${close.map((c) => `\`${c}\``).join(', ')}?` : '';
    await ctx.reply(
      textMessage(
        `🤔 There is no workflow called \`${escapeMrkdwn(name)}\`.${hint} \`/pantheon list\` shows what you can run.`,
      ),
    );
    return undefined;
  }
  const definition = workflows.get(name);
  const decision = await ctx.caller.check(definition);
  if (!decision.allowed) {
    await ctx.reply(textMessage(`🔒 You can't run this here: ${decision.reason} Nothing was started.`));
    return undefined;
  }
  return definition;
}
