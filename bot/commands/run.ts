import { parseArguments } from '../../core/input/parse-arguments';
import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import {
  fileArgumentReply,
  fillInReply,
  invalidInputReply,
  runUsageReply,
  startedReply,
} from '../blocks/run-replies';
import { runModal } from '../blocks/run-modal';
import { startRun } from '../runs/start';
import type { CommandContext } from './context';
import { findRunnable } from './find-workflow';

/**
 * `run <workflow> [key=value … | {json}]`: valid input starts the run; only missing inputs open the
 * form (or, from a mention, offer a button to open it); anything else names each bad field.
 */
export async function run(ctx: CommandContext, workflow: string | undefined, args: string): Promise<void> {
  if (!workflow) {
    await ctx.reply(runUsageReply(await ctx.caller.runnable(ctx.deps.runs.workflows.list())));
    return;
  }
  const definition = await findRunnable(ctx, workflow);
  if (!definition) return;
  const upload = /(?:^|\s)([\w.-]+)=@\S/.exec(args);
  if (upload) {
    await ctx.reply(fileArgumentReply(definition, upload[1]!));
    return;
  }
  const parsed = parseArguments(definition.input, args);
  if (parsed.ok) {
    await ctx.reply(
      startedReply(definition, await startRun(ctx.deps, definition, parsed.input, ctx.request)),
    );
    return;
  }
  if (parsed.problems.length === parsed.missing.length) {
    await askForInputs(ctx, definition, parsed.partial, parsed.missing);
    return;
  }
  await ctx.reply(invalidInputReply(definition, parsed.problems));
}

async function askForInputs(
  ctx: CommandContext,
  definition: WorkflowDefinition,
  prefill: Record<string, unknown>,
  missing: readonly string[],
): Promise<void> {
  const { channel, threadTs } = ctx.request;
  if (ctx.openModal) {
    const metadata = {
      workflow: definition.name,
      channel,
      ...(threadTs ? { threadTs } : {}),
      ...(ctx.responseUrl ? { responseUrl: ctx.responseUrl } : {}),
    };
    await ctx.openModal(runModal(definition, prefill, metadata));
    return;
  }
  await ctx.reply(
    fillInReply(definition, missing, {
      workflow: definition.name,
      channel,
      ...(threadTs ? { threadTs } : {}),
      prefill,
    }),
  );
}
