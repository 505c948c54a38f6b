import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { Logger } from '../../core/logger';
import type { Decider, DecisionOutcome } from '../decider';
import { slackIdentity } from '../identity';
import {
  approveActionId,
  commentActionId,
  commentBlockId,
  decideCallbackId,
  decidedMessage,
  decisionModal,
  parseButtonValue,
  rejectActionId,
} from './blocks';

export interface ApprovalListenerDependencies {
  readonly decider: Decider;
  readonly logger?: Logger;
}

interface ModalMetadata {
  r: string;
  h?: string;
  approve: boolean;
  channel?: string;
}

const selfApproval = 'You started this run; someone else must approve it.';

function feedback(outcome: DecisionOutcome): string | undefined {
  if (outcome.kind === 'refused') return outcome.message;
  if (outcome.kind === 'counted')
    return `Your approval is recorded (${outcome.approvals} of ${outcome.quorum} needed).`;
  return undefined; // decided: every copy of the message is about to show it
}

/**
 * The approval buttons and modal. Approve decides at once (or opens a comment modal when the
 * request allows comments); Reject always asks for a reason. Refusals are recorded and answered
 * with an ephemeral line. The clicked card shows the decision at once; every copy (the DMs, the
 * thread) is then updated by the workflow's finalize, with the same message.
 */
export function registerApprovalListeners(app: App, deps: ApprovalListenerDependencies): void {
  const { decider } = deps;

  const onButton =
    (approve: boolean) =>
    async ({
      ack,
      body,
      action,
      client,
      respond,
    }: {
      ack: () => Promise<void>;
      body: BlockButtonAction;
      action: BlockButtonAction['actions'][number];
      client: App['client'];
      respond: RespondFn;
    }) => {
      await ack();
      const button = parseButtonValue(action.value);
      const approver = slackIdentity(body.user.id);
      const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      if (!button) return void (await say('This button is not valid.'));
      const attempt = {
        requestId: button.r,
        approver,
        approve,
        via: 'slack' as const,
        ...(button.h ? { actionHash: button.h } : {}),
      };
      // The clicked card shows the decision as soon as the run has taken it (the same message
      // finalize then writes to every copy), without waiting for the delivery queue.
      const show = async (outcome: DecisionOutcome) => {
        if (outcome.kind === 'decided' && outcome.result)
          await respond({ replace_original: true, ...decidedMessage(outcome.request, outcome.result) });
      };
      const answer = async (outcome: DecisionOutcome) => {
        const text = feedback(outcome);
        if (text) await say(text);
      };
      // A plain Approve goes straight to the decider, which makes every check in its transaction.
      if (approve && !button.c) return answer(await decider.decide(attempt, { onAccepted: show }));
      const request = await decider.store.get(button.r);
      // Cheap refusals first, so a stranger never gets a modal.
      if (!request) {
        await decider.refuseAttempt(attempt, 'unknown-request', 'This approval request does not exist.');
        return void (await say('This approval request does not exist.'));
      }
      if (decider.isRequester(request, approver)) {
        await decider.refuseAttempt(attempt, 'self-approval', selfApproval);
        return void (await say(selfApproval));
      }
      if (!request.approvers.includes(approver)) {
        await decider.refuseAttempt(attempt, 'not-an-approver', 'You are not an approver for this request.');
        return void (await say('You are not an approver for this request.'));
      }
      if (!approve || request.allowComment) {
        if (request.status === 'pending') {
          const origin = body.channel?.id ? { channel: body.channel.id } : {};
          await client.views.open({
            trigger_id: body.trigger_id,
            view: decisionModal(request, approve, button, origin),
          });
          return;
        }
      }
      await answer(await decider.decide(attempt, { onAccepted: show }));
    };

  app.action<BlockButtonAction>(approveActionId, onButton(true));
  app.action<BlockButtonAction>(rejectActionId, onButton(false));

  app.view(decideCallbackId, async ({ ack, body, view, client }) => {
    const meta = JSON.parse(view.private_metadata) as ModalMetadata;
    const comment = view.state.values[commentBlockId]?.[commentActionId]?.value?.trim() || undefined;
    if (!meta.approve && !comment) {
      await ack({ response_action: 'errors', errors: { [commentBlockId]: 'Please give a reason.' } });
      return;
    }
    await ack();
    const outcome = await decider.decide({
      requestId: meta.r,
      approver: slackIdentity(body.user.id),
      approve: meta.approve,
      via: 'slack',
      ...(comment ? { comment } : {}),
      ...(meta.h ? { actionHash: meta.h } : {}),
    });
    const text = feedback(outcome);
    if (text && meta.channel) {
      await client.chat
        .postEphemeral({ channel: meta.channel, user: body.user.id, text })
        .catch((error: unknown) => {
          deps.logger?.warn({ err: error, requestId: meta.r }, 'could not tell the approver what happened');
        });
    }
  });
}
