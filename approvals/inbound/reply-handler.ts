import type { Database } from '../../core/db/pool';
import type { Logger } from '../../core/logger';
import type { Decider, DecisionOutcome } from '../decider';
import { parseReply } from '../email/reply-parser';
import type { ApprovalTokens } from '../email/tokens';
import { emailIdentity } from '../identity';

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
  /** DMARC (or aligned DKIM) passed for the From domain. */
  readonly authenticated: boolean;
  /** What the authentication said, for the audit. */
  readonly authentication: string;
}

export type ReplyOutcome = DecisionOutcome | { readonly kind: 'ignored'; readonly reason: string } | { readonly kind: 'duplicate' };

export interface ReplyHandlerDependencies {
  readonly db: Database;
  readonly decider: Decider;
  readonly tokens: ApprovalTokens;
  readonly replyDomain: string;
  readonly logger?: Logger;
}

/**
 * One parser for both inbound paths. A reply decides only when its token is valid and unused,
 * it comes from that token's approver, and the sender is authenticated; anything else is
 * recorded as a refused attempt and otherwise ignored.
 */
export class ReplyHandler {
  readonly #address: RegExp;

  constructor(private readonly deps: ReplyHandlerDependencies) {
    const domain = deps.replyDomain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.#address = new RegExp(`^approvals\\+([a-z0-9-]+)@${domain}$`, 'i');
  }

  async handle(reply: InboundReply): Promise<ReplyOutcome> {
    const { db, logger } = this.deps;
    const seen = await db.query('SELECT 1 FROM approval_inbound_messages WHERE source = $1 AND message_id = $2', [reply.source, reply.messageId]);
    if (seen.rows.length > 0) return { kind: 'duplicate' };
    const outcome = await this.#decide(reply);
    await db.query(
      'INSERT INTO approval_inbound_messages (source, message_id, outcome) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [reply.source, reply.messageId, outcome.kind === 'refused' ? `refused:${outcome.reason}` : outcome.kind === 'ignored' ? `ignored:${outcome.reason}` : outcome.kind],
    );
    logger?.info({ source: reply.source, messageId: reply.messageId, outcome: outcome.kind }, 'approval reply handled');
    return outcome;
  }

  async #decide(reply: InboundReply): Promise<ReplyOutcome> {
    const { decider, tokens } = this.deps;
    const token = reply.recipients.map((r) => this.#address.exec(r.trim())?.[1]).find(Boolean);
    if (!token) return { kind: 'ignored', reason: 'not-addressed-to-an-approval' };
    const usedBy = `${reply.source}:${reply.messageId}`;
    const check = await tokens.verify(token);
    const from = reply.from ? emailIdentity(reply.from) : 'email:unknown';
    const parsed = parseReply(reply.text);
    const detail = { messageId: reply.messageId, source: reply.source, authentication: reply.authentication, from: reply.from ?? null };
    const attempt = {
      requestId: check.claims?.requestId ?? '(unknown)',
      approver: from,
      via: 'email-reply' as const,
      ...(parsed ? { approve: parsed.approve } : {}),
      ...(parsed?.comment ? { comment: parsed.comment } : {}),
      detail,
    };
    // A restarted poller seeing a mail it already decided on: not a second attempt.
    if (!check.ok && check.reason === 'token-used' && check.usedBy === usedBy) return { kind: 'duplicate' };
    if (!check.ok) return decider.refuseAttempt(attempt, check.reason, `Reply token: ${check.reason}`);
    if (from !== emailIdentity(check.claims.approver)) return decider.refuseAttempt(attempt, 'sender-mismatch', 'The reply does not come from the approver the address was sent to.');
    if (!reply.authenticated) return decider.refuseAttempt(attempt, 'unauthenticated', 'The sender of the reply could not be authenticated.');
    if (!parsed) return decider.refuseAttempt(attempt, 'no-decision', 'The reply does not start with approve or reject.');
    return decider.decide({
      ...attempt,
      approve: parsed.approve,
      ...(check.claims.actionHash ? { actionHash: check.claims.actionHash } : {}),
      token: { nonce: check.nonce, usedBy },
    });
  }
}
