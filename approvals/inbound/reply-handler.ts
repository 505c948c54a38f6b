import type { Database } from '../../core/db/pool';
import type { Logger } from '../../core/logger';
import type { Mailer } from '../../tools/email/mailer';
import type { Decider, DecisionOutcome } from '../decider';
import { renderUnreadableReplyEmail } from '../email/render';
import { parseReply } from '../email/reply-parser';
import type { ApprovalTokens, TokenClaims } from '../email/tokens';
import { emailIdentity } from '../identity';
import { RateLimiter } from './rate-limiter';

/** A reply as any inbound path (SMTP, Gmail) hands it over, after checking its authentication. */
export interface InboundReply {
  readonly source: 'smtp' | 'gmail';
  /** Unique within the source (Gmail message id, Message-ID header): each is handled once. */
  readonly messageId: string;
  /** The From header's address. */
  readonly from?: string;
  /** Every recipient address seen (envelope, To, Cc, Delivered-To). */
  readonly recipients: readonly string[];
  readonly text: string;
  readonly subject?: string;
  /** The mail's own Message-ID header, to thread an answer to it. */
  readonly inReplyTo?: string;
  /** Set when the mail is machine-sent (see `autoReplyReason`): it never decides, is never answered. */
  readonly autoReply?: string;
  /** DMARC (or aligned DKIM) passed for the From domain, by our own mailauth check. */
  readonly authenticated: boolean;
  /** What the authentication said, for the audit. */
  readonly authentication: string;
}

export type ReplyOutcome =
  DecisionOutcome | { readonly kind: 'ignored'; readonly reason: string } | { readonly kind: 'duplicate' };

export interface ReplyHandlerDependencies {
  readonly db: Database;
  readonly decider: Decider;
  readonly tokens: ApprovalTokens;
  readonly replyDomain: string;
  /** The mailer approval emails go out through; without it an unreadable reply gets no answer. */
  readonly mailer?: Mailer;
  readonly logger?: Logger;
}

/** "Could not read a decision" answers per approver and request, ever: a responder that hides what it is cannot loop us. */
const maxAnswersPerToken = 3;

/**
 * One parser for both inbound paths. A reply decides only when its token is valid and unused,
 * it comes from that token's approver, the sender is authenticated, it is no auto-reply, and its
 * first line is a plain decision. Attempts on a real request are audited as refused; mail for
 * tokens that do not exist is only counted (and logged, a few a minute), so garbage cannot fill
 * the audit. A person whose reply could not be read gets one short answer saying what to write.
 */
export class ReplyHandler {
  readonly #address: RegExp;
  readonly #logEvery = new RateLimiter({ limit: 10, windowMs: 60_000, maxKeys: 4 });
  /** Mail ignored without a trace in Postgres, by reason (unknown-token, auto-reply…). */
  readonly ignored = new Map<string, number>();

  constructor(private readonly deps: ReplyHandlerDependencies) {
    const domain = deps.replyDomain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.#address = new RegExp(`^approvals\\+([a-z0-9-]+)@${domain}$`, 'i');
  }

  async handle(reply: InboundReply): Promise<ReplyOutcome> {
    const { db, logger } = this.deps;
    const seen = await db.query(
      'SELECT 1 FROM approval_inbound_messages WHERE source = $1 AND message_id = $2',
      [reply.source, reply.messageId],
    );
    if (seen.rows.length > 0) return { kind: 'duplicate' };
    const outcome = await this.#decide(reply);
    if (outcome.kind === 'ignored') {
      // Nothing happened, so nothing to remember: handling it again is harmless.
      this.ignored.set(outcome.reason, (this.ignored.get(outcome.reason) ?? 0) + 1);
      if (this.#logEvery.take(outcome.reason))
        logger?.info(
          { source: reply.source, messageId: reply.messageId, reason: outcome.reason },
          'approval reply ignored',
        );
      return outcome;
    }
    await this.#remember(reply, outcome.kind === 'refused' ? `refused:${outcome.reason}` : outcome.kind);
    logger?.info(
      { source: reply.source, messageId: reply.messageId, outcome: outcome.kind },
      'approval reply handled',
    );
    return outcome;
  }

  /** Records the message as handled; false when another handler got there first. */
  async #remember(reply: InboundReply, outcome: string): Promise<boolean> {
    const { rowCount } = await this.deps.db.query(
      'INSERT INTO approval_inbound_messages (source, message_id, outcome) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [reply.source, reply.messageId, outcome],
    );
    return rowCount === 1;
  }

  async #decide(reply: InboundReply): Promise<ReplyOutcome> {
    const { decider, tokens } = this.deps;
    const token = reply.recipients.map((r) => this.#address.exec(r.trim())?.[1]).find(Boolean);
    if (!token) return { kind: 'ignored', reason: 'not-addressed-to-an-approval' };
    if (reply.autoReply) return { kind: 'ignored', reason: `auto-reply` };
    const check = await tokens.verify(token);
    // No such token (garbage, guessed, or signed by a retired key): there is no request to audit it on.
    if (!check.ok && !check.claims) return { kind: 'ignored', reason: 'unknown-token' };
    const usedBy = `${reply.source}:${reply.messageId}`;
    const from = reply.from ? emailIdentity(reply.from) : 'email:unknown';
    const parsed = parseReply(reply.text);
    const detail = {
      messageId: reply.messageId,
      source: reply.source,
      authentication: reply.authentication,
      from: reply.from ?? null,
    };
    const attempt = {
      requestId: check.claims!.requestId,
      approver: from,
      via: 'email-reply' as const,
      ...(parsed ? { approve: parsed.approve } : {}),
      ...(parsed?.comment ? { comment: parsed.comment } : {}),
      detail,
    };
    // A restarted poller seeing a mail it already decided on: not a second attempt.
    if (!check.ok && check.reason === 'token-used' && check.usedBy === usedBy) return { kind: 'duplicate' };
    if (!check.ok) return decider.refuseAttempt(attempt, check.reason, `Reply token: ${check.reason}`);
    if (from !== emailIdentity(check.claims.approver))
      return decider.refuseAttempt(
        attempt,
        'sender-mismatch',
        'The reply does not come from the approver the address was sent to.',
      );
    if (!reply.authenticated)
      return decider.refuseAttempt(
        attempt,
        'unauthenticated',
        'The sender of the reply could not be authenticated.',
      );
    if (!parsed) {
      // Claim the message first, so two handlers (or a retried delivery) answer it at most once.
      if (!(await this.#remember(reply, 'refused:no-decision'))) return { kind: 'duplicate' };
      const answered = await this.#answerUnreadable(reply, check.claims, token);
      return decider.refuseAttempt(
        { ...attempt, detail: { ...detail, answered } },
        'no-decision',
        'No decision could be read: the first line must be approve or reject, alone or followed by a comment.',
      );
    }
    return decider.decide({
      ...attempt,
      approve: parsed.approve,
      ...(check.claims.actionHash ? { actionHash: check.claims.actionHash } : {}),
      token: { nonce: check.nonce, usedBy },
    });
  }

  /** Sends the "could not read a decision" note to the (authenticated) approver; says what happened, for the audit. */
  async #answerUnreadable(reply: InboundReply, claims: TokenClaims, token: string): Promise<string> {
    const { mailer, decider, db, logger } = this.deps;
    if (!mailer) return 'not-sent:no-mailer';
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM approval_events WHERE request_id = $1 AND kind = 'refused' AND actor = $2 AND detail->>'answered' = 'sent'`,
      [claims.requestId, emailIdentity(claims.approver)],
    );
    if (Number(rows[0]?.n ?? 0) >= maxAnswersPerToken) return 'not-sent:answered-enough';
    const request = await decider.store.get(claims.requestId);
    if (!request || request.status !== 'pending') return 'not-sent:not-pending';
    const email = renderUnreadableReplyEmail(request, reply.subject);
    try {
      await mailer.send({
        to: claims.approver,
        ...email,
        replyTo: `approvals+${token}@${this.deps.replyDomain}`,
        headers: {
          'Auto-Submitted': 'auto-replied',
          'X-Auto-Response-Suppress': 'All',
          'X-Pantheon-Approval': request.id,
          ...(reply.inReplyTo ? { 'In-Reply-To': reply.inReplyTo, References: reply.inReplyTo } : {}),
        },
      });
      return 'sent';
    } catch (error) {
      logger?.warn(
        { err: error, requestId: request.id },
        'could not send the "could not read a decision" answer',
      );
      return 'not-sent:mail-failed';
    }
  }
}
