import type { BlockButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { runModal } from '../blocks/run-modal';
import { textMessage } from '../../tools/slack/blocks/kit';
import type { BotContext, BotDeps } from '../deps';
import { errorReply } from '../errors';

const formRequest = z.object({
  workflow: z.string(),
  channel: z.string(),
  threadTs: z.string().optional(),
  prefill: z.record(z.string(), z.unknown()).default({}),
});

/** The "Fill in the inputs" button (offered to mentions): the click's trigger_id opens the form. */
export function openRunForm(
  deps: BotDeps,
): Middleware<SlackActionMiddlewareArgs<BlockButtonAction>, BotContext> {
  return async ({ ack, action, body, client, context, respond }) => {
    await ack();
    const reply = async (text: string) => {
      await respond({ response_type: 'ephemeral', replace_original: false, ...textMessage(text) });
    };
    try {
      const form = formRequest.safeParse(JSON.parse(action.value ?? '{}'));
      if (!form.success || !deps.runs.workflows.has(form.data.workflow)) {
        await reply('This button is out of date: start again with `/pantheon run <workflow>`.');
        return;
      }
      const { workflow, channel, threadTs, prefill } = form.data;
      const definition = deps.runs.workflows.get(workflow);
      const decision = await context.caller?.check(definition);
      if (!decision?.allowed) {
        await reply(`🔒 You can't run this here: ${decision?.reason ?? 'unknown user.'}`);
        return;
      }
      const metadata = { workflow, channel, ...(threadTs ? { threadTs } : {}) };
      await client.views.open({ trigger_id: body.trigger_id, view: runModal(definition, prefill, metadata) });
    } catch (error) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...errorReply(error, deps.logger),
      });
    }
  };
}
