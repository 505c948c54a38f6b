import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { z } from 'zod';
import type { CoreConfig } from '../core/config';
import type { Delivery } from '../core/delivery/contract';
import { Policy, workflowNameOf } from '../core/policy/policy';
import type { People } from '../core/policy/schema';
import { implementActivity } from '../core/registry/activity-registry';
import type { ActivityImplementation } from '../core/registry/activity-registry';
import type { Mailer } from '../tools/email/mailer';
import { actionHash } from './action-hash';
import type { ApprovalsConfig } from './config';
import { decisionLink, renderApprovalEmail } from './email/render';
import type { ApprovalTokens } from './email/tokens';
import { emailIdentity, slackIdentity } from './identity';
import type { Approvers } from './models';
import { approversSchema } from './models';
import type { SlackDirectory } from './slack/directory';
import { decidedMessage, requestMessage } from './slack/blocks';
import { escalateApproval, finalizeApproval, notifyApprovers, openApproval } from './specs';
import type { ApprovalRequestRecord, ApprovalStore } from './store';

export interface ApprovalActivityDependencies {
  readonly store: ApprovalStore;
  /** Every Slack write goes through it, with an idempotency key per message. */
  readonly delivery: Delivery;
  /** Resolves Slack user groups; without it groups resolve to nobody. */
  readonly slack?: SlackDirectory;
  /** Email is sent only with a mailer and tokens (SMTP_URL and APPROVAL_TOKEN_KEYS set). */
  readonly mailer?: Mailer;
  readonly tokens?: ApprovalTokens;
  readonly config: Pick<ApprovalsConfig, 'APPROVAL_REMINDERS' | 'APPROVALS_REPLY_DOMAIN'> &
    Pick<CoreConfig, 'PUBLIC_URL' | 'PANTHEON_POLICY_FILE'>;
  /** Public keys (id → hex) whose signed votes the workflow accepts: from this worker's settings. */
  readonly voteKeys: Readonly<Record<string, string>>;
  /** The deployment's policy (PANTHEON_POLICY_FILE), read by the worker: who approves each step. Default: nobody. */
  readonly policy?: Policy;
}

/** The policy step a request resolves its approvers for: named, else the action, else `*`. */
function stepOf(input: { step?: string; action?: { name: string } }): string {
  return input.step ?? input.action?.name ?? '*';
}

const toApprovers = (people: People): Approvers => ({
  slackUsers: people.slackUsers,
  slackGroups: people.slackGroups,
  emails: people.emails,
});

type Kind = 'request' | 'reminder' | 'escalation';

/** The approval activities, closed over their clients. Register them on the light tier. */
export function createApprovalActivities(deps: ApprovalActivityDependencies): ActivityImplementation[] {
  const { store } = deps;
  const policy = deps.policy ?? Policy.empty();
  const policyFile = deps.config.PANTHEON_POLICY_FILE ?? '(PANTHEON_POLICY_FILE is unset)';

  async function resolve(approvers: Approvers): Promise<string[]> {
    const parsed = approversSchema.parse(approvers);
    const groups = await Promise.all(
      parsed.slackGroups.map(async (group) => (deps.slack ? deps.slack.usergroupMembers(group) : [])),
    );
    return [
      ...new Set(
        [...parsed.slackUsers, ...groups.flat()].map(slackIdentity).concat(parsed.emails.map(emailIdentity)),
      ),
    ];
  }

  /** The requester's identities (their Slack id and its address): they never approve their own run by default. */
  async function requesterIdentities(requestedBy: string | undefined): Promise<Set<string>> {
    const identities = new Set<string>();
    if (!requestedBy) return identities;
    identities.add(requestedBy);
    if (requestedBy.startsWith('slack:') && deps.slack?.userEmail) {
      const email = await deps.slack.userEmail(requestedBy.slice('slack:'.length));
      if (email) identities.add(emailIdentity(email));
    }
    return identities;
  }

  /**
   * Approvers for one step of this activity's run, server-side: the policy's `approvers.<step>`
   * (or `*`), plus the workflow's own list only where the policy allows `approversFromInput`;
   * minus the requester unless `selfApproval` names the step.
   */
  async function approversFor(
    workflow: string,
    step: string,
    people: People | undefined,
    extra: Approvers | undefined,
    requestedBy: string | undefined,
  ) {
    const fromInput = policy.approversFromInput(workflow) && extra ? await resolve(extra) : [];
    const candidates = [...new Set([...(people ? await resolve(toApprovers(people)) : []), ...fromInput])];
    const selfApproval = policy.allowsSelfApproval(workflow, step);
    const requester = await requesterIdentities(requestedBy);
    const approvers = selfApproval ? candidates : candidates.filter((identity) => !requester.has(identity));
    return {
      approvers,
      selfApproval,
      excluded: candidates.filter((identity) => !approvers.includes(identity)),
      fromInput: fromInput.length > 0,
    };
  }

  async function postSlack(
    request: ApprovalRequestRecord,
    channel: string,
    threadTs: string | undefined,
    kind: Kind,
    key: string,
  ): Promise<boolean> {
    if (await store.hasEvent(key)) return false;
    const message = requestMessage(request, kind);
    const response = await deps.delivery.send({
      channel,
      method: 'chat.postMessage',
      args: { channel, ...message, ...(threadTs ? { thread_ts: threadTs } : {}) },
      idempotencyKey: key,
      runId: request.workflowId,
    });
    const posted = {
      channel: typeof response.channel === 'string' ? response.channel : channel,
      ts: typeof response.ts === 'string' ? response.ts : '',
    };
    await store.recordEvent({
      requestId: request.id,
      workflowId: request.workflowId,
      kind: kind === 'reminder' ? 'reminded' : 'notified',
      via: 'slack',
      actor: channel,
      detail: { ...posted, kind },
      idempotencyKey: key,
    });
    return true;
  }

  async function sendEmail(
    request: ApprovalRequestRecord,
    address: string,
    kind: Kind,
    key: string,
  ): Promise<boolean> {
    if (!deps.mailer || !deps.tokens) return false;
    if (await store.hasEvent(key)) return false;
    const token = await deps.tokens.issue({
      requestId: request.id,
      approver: address,
      expiresAt: request.deadline,
      ...(request.actionHash ? { actionHash: request.actionHash } : {}),
    });
    const links = {
      approve: decisionLink(deps.config.PUBLIC_URL, request.id, token, 'approve'),
      reject: decisionLink(deps.config.PUBLIC_URL, request.id, token, 'reject'),
    };
    const domain = deps.config.APPROVALS_REPLY_DOMAIN;
    const email = renderApprovalEmail(request, links, { kind, canReply: Boolean(domain) });
    const sent = await deps.mailer.send({
      to: address,
      ...email,
      ...(domain ? { replyTo: `approvals+${token}@${domain}` } : {}),
      headers: { 'X-Pantheon-Approval': request.id },
    });
    await store.recordEvent({
      requestId: request.id,
      workflowId: request.workflowId,
      kind: kind === 'reminder' ? 'reminded' : 'notified',
      via: 'email',
      actor: address,
      detail: { messageId: sent.messageId, kind },
      idempotencyKey: key,
    });
    return true;
  }

  /** One recipient's failure must not keep the others from hearing about the request. */
  async function attempt(what: string, send: () => Promise<boolean>): Promise<number> {
    try {
      return (await send()) ? 1 : 0;
    } catch (error) {
      log.warn(`approval notification failed: ${what}`, { error: (error as Error).message });
      return 0;
    }
  }

  const open = implementActivity(openApproval, async (input) => {
    const workflow = workflowNameOf(Context.current().info.workflowType ?? '');
    const step = stepOf(input);
    const resolved = await approversFor(
      workflow,
      step,
      policy.approvers(workflow, step),
      input.approvers,
      input.requestedBy,
    );
    if (resolved.approvers.length === 0) {
      const left = resolved.excluded.length
        ? ` (${resolved.excluded.join(', ')} started the run, so cannot approve it; \`workflows.${workflow}.selfApproval\` would allow that)`
        : '';
      throw ApplicationFailure.nonRetryable(
        `No one may approve step "${step}" of ${workflow}${left}: list approvers under \`workflows.${workflow}.approvers.${step}\` (or \`approvers.*\`) in the policy file ${policyFile}.`,
        'NoApprover',
      );
    }
    const approvers = resolved.approvers;
    const hash = input.action ? actionHash(input.action) : undefined;
    await store.createRequest(
      {
        id: input.requestId,
        workflowId: input.workflowId,
        runId: input.runId,
        title: input.title,
        details: input.details,
        requestedBy: input.requestedBy,
        actionName: input.action?.name,
        actionArgs: input.action?.args,
        actionHash: hash,
        approvers,
        quorum: input.quorum,
        allowComment: input.allowComment,
        channel: input.channel,
        threadTs: input.threadTs,
        deadline: new Date(input.deadline),
      },
      {
        workflow,
        step,
        file: policyFile,
        fromInput: resolved.fromInput,
        selfApproval: resolved.selfApproval,
        excluded: resolved.excluded,
      },
    );
    return {
      approvers,
      ...(hash ? { actionHash: hash } : {}),
      remindersMs: input.remindersMs ?? deps.config.APPROVAL_REMINDERS,
      voteKeys: { ...deps.voteKeys },
      allowSelfApproval: resolved.selfApproval,
    };
  });

  const notify = implementActivity(notifyApprovers, async (input: z.output<typeof notifyApprovers.input>) => {
    const request = await store.get(input.requestId);
    if (!request) throw new Error(`No approval request ${input.requestId}`);
    if (request.status !== 'pending') return { slack: 0, emails: 0 };
    const voted = new Set((await store.events({ requestId: request.id, kind: 'vote' })).map((e) => e.actor));
    const targets = (input.only ?? request.approvers).filter((identity) => !voted.has(identity));
    const key = (target: string) => `${request.id}/${input.kind}/${input.round}/${target}`;
    let slack = 0;
    let emails = 0;
    if (input.kind === 'request' && request.channel) {
      slack += await attempt(`channel ${request.channel}`, () =>
        postSlack(request, request.channel!, request.threadTs, input.kind, key(`channel:${request.channel}`)),
      );
    }
    for (const identity of targets) {
      const [kind, id] = [
        identity.slice(0, identity.indexOf(':')),
        identity.slice(identity.indexOf(':') + 1),
      ];
      if (kind === 'slack')
        slack += await attempt(identity, () => postSlack(request, id, undefined, input.kind, key(identity)));
      if (kind === 'email')
        emails += await attempt(identity, () => sendEmail(request, id, input.kind, key(identity)));
    }
    return { slack, emails };
  });

  const escalate = implementActivity(escalateApproval, async (input) => {
    const request = await store.get(input.requestId);
    if (!request) throw new Error(`No approval request ${input.requestId}`);
    // Escalation approvers follow the same rule: the policy's `approvers.<step>.escalation`, the
    // workflow's list only with `approversFromInput`, never the requester without `selfApproval`.
    const requested = (await store.events({ requestId: request.id, kind: 'requested' }))[0]?.detail.policy;
    const recorded = (requested ?? {}) as { workflow?: unknown; step?: unknown };
    const workflow =
      typeof recorded.workflow === 'string'
        ? recorded.workflow
        : workflowNameOf(Context.current().info.workflowType ?? '');
    const step =
      typeof recorded.step === 'string'
        ? recorded.step
        : stepOf({ ...(request.actionName ? { action: { name: request.actionName } } : {}) });
    const escalation = policy.workflow(workflow)?.approvers[`${step}.escalation`];
    const { approvers: extra } = await approversFor(
      workflow,
      step,
      escalation && policy.expand(escalation),
      input.escalateTo,
      request.requestedBy,
    );
    const approvers = [...new Set([...request.approvers, ...extra])];
    const added = extra.filter((identity) => !request.approvers.includes(identity));
    await store.escalate(request.id, approvers, new Date(input.deadline));
    await store.recordEvent({
      requestId: request.id,
      workflowId: request.workflowId,
      kind: 'escalated',
      detail: { added, deadline: input.deadline },
      idempotencyKey: `${request.id}/escalated`,
    });
    return { approvers, added: extra };
  });

  const finalize = implementActivity(finalizeApproval, async ({ requestId, result }) => {
    const [request, events] = await Promise.all([store.get(requestId), store.events({ requestId })]);
    if (!request) throw new Error(`No approval request ${requestId}`);
    const message = decidedMessage(request, result);
    const copies = events.filter(
      (e) => (e.kind === 'notified' || e.kind === 'reminded') && e.via === 'slack',
    );
    const record = async () => {
      // The workflow's result is the truth; the bot's row agrees except at the deadline's edge.
      await store.setOutcome(requestId, {
        status: result.decision,
        decidedBy: result.decidedBy,
        via: result.via,
        at: new Date(result.at),
        comment: result.comment,
      });
      await store.recordEvent({
        requestId,
        workflowId: request.workflowId,
        kind: result.decision === 'expired' ? 'expired' : 'decided',
        actor: result.decidedBy,
        via: result.via,
        detail: {
          decision: result.decision,
          ...(result.comment ? { comment: result.comment } : {}),
          votes: result.votes.map((v) => ({ approver: v.approver, approve: v.approve, via: v.via })),
        },
        idempotencyKey: `${requestId}/outcome`,
      });
    };
    // Not debounced: the final word on a message should show at once.
    const update = ({ detail }: (typeof copies)[number]) => {
      const channel = String(detail.channel);
      const ts = String(detail.ts);
      return deps.delivery.send({
        channel,
        method: 'chat.update',
        args: { channel, ts, ...message },
        idempotencyKey: `${requestId}/final/${channel}/${ts}`,
        runId: request.workflowId,
      });
    };
    await Promise.all([record(), ...copies.map(update)]);
    return { updatedMessages: copies.length };
  });

  return [open, notify, escalate, finalize];
}
