import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/logger';
import type { Decider, DecisionOutcome } from '../decider';
import { mrkdwnToText } from '../email/render';
import type { ApprovalTokens } from '../email/tokens';
import { emailIdentity } from '../identity';
import { confirmPage, resultPage } from './pages';
import type { LinkRateLimit } from './rate-limit';

export interface ApprovalHttpDependencies {
  readonly decider: Decider;
  readonly tokens: ApprovalTokens;
  /** Per-client budget for GET and POST (`linkRateLimit`); answers 429 itself. */
  readonly rateLimit?: LinkRateLimit;
  readonly logger?: Logger;
}

export const approvalsPath = '/approvals/decide';
// Room for a comment at the limit in any script, percent-encoded (up to 9 bytes a character).
const maxBody = 64 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) throw new Error('body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  });
  res.end(html);
}

const refusalText: Record<string, string> = {
  'token-invalid': 'This link is not valid.',
  'token-expired': 'This link has expired.',
  'token-used': 'This link has already been used.',
  'token-mismatch': 'This link belongs to another request.',
};

function outcomeText(outcome: DecisionOutcome): { title: string; message: string; status: number } {
  switch (outcome.kind) {
    case 'decided':
      return {
        title: outcome.decision === 'approved' ? 'Approved' : 'Rejected',
        message: `Thank you: "${outcome.request.title}" is ${outcome.decision}.`,
        status: 200,
      };
    case 'counted':
      return {
        title: 'Approval recorded',
        message: `Your approval is recorded (${outcome.approvals} of ${outcome.quorum} needed).`,
        status: 200,
      };
    case 'refused':
      return {
        title: 'Nothing was decided',
        message: refusalText[outcome.reason] ?? outcome.message,
        status: 409,
      };
  }
}

/**
 * Email links: GET /approvals/decide?r&t&d shows a confirmation page and decides nothing (mail
 * scanners prefetch links); the page POSTs back with an optional comment, and that decides.
 * A node:http handler: mount it as a Bolt custom route (see `approvalRoutes`) or in any server.
 */
export function createApprovalHttpHandler(deps: ApprovalHttpDependencies): Handler {
  return async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== approvalsPath)
        return send(res, 404, resultPage('Not found', 'There is nothing here.'));
      if (deps.rateLimit && !deps.rateLimit(req, res)) return;
      if (req.method === 'GET' || req.method === 'HEAD') return await confirm(deps, url.searchParams, res);
      if (req.method === 'POST') return await decide(deps, await readForm(req), req, res);
      res.writeHead(405, { Allow: 'GET, POST' }).end();
    } catch (error) {
      deps.logger?.error({ err: error }, 'approval link failed');
      if (!res.headersSent)
        send(
          res,
          500,
          resultPage('Something went wrong', 'Nothing was decided. Please try again in a moment.'),
        );
    }
  };
}

async function confirm(
  deps: ApprovalHttpDependencies,
  params: URLSearchParams,
  res: ServerResponse,
): Promise<void> {
  const [requestId, token, decision] = [params.get('r') ?? '', params.get('t') ?? '', params.get('d')];
  const check = await deps.tokens.verify(token);
  if (!check.ok) return send(res, 410, resultPage('Nothing to decide', refusalText[check.reason]!));
  if (check.claims.requestId !== requestId)
    return send(res, 410, resultPage('Nothing to decide', refusalText['token-mismatch']!));
  const request = await deps.decider.store.get(requestId);
  if (!request || request.status !== 'pending') {
    return send(
      res,
      410,
      resultPage(
        'Nothing to decide',
        request ? `This request is already ${request.status}.` : 'This request does not exist.',
      ),
    );
  }
  if (deps.decider.isRequester(request, emailIdentity(check.claims.approver))) {
    return send(
      res,
      403,
      resultPage('Nothing to decide', 'You started this run; someone else must approve it.'),
    );
  }
  send(
    res,
    200,
    confirmPage({
      title: request.title,
      details: mrkdwnToText(request.details),
      approver: check.claims.approver,
      decision: decision === 'reject' ? 'reject' : 'approve',
      requestId,
      token,
    }),
  );
}

async function decide(
  deps: ApprovalHttpDependencies,
  form: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const [requestId, token, decision] = [form.get('r') ?? '', form.get('t') ?? '', form.get('d')];
  const comment = form.get('comment')?.trim() || undefined;
  const approve = decision === 'approve';
  const check = await deps.tokens.verify(token);
  const detail = { client: req.socket.remoteAddress ?? 'unknown' };
  const approver = check.claims ? emailIdentity(check.claims.approver) : 'email:unknown';
  const attempt = {
    requestId,
    approver,
    approve,
    via: 'email-link' as const,
    ...(comment ? { comment } : {}),
    detail,
  };
  let outcome: DecisionOutcome;
  // A token that names no request of ours is noise (or probing): answer, but write no audit row
  // under whatever request id the form claims, or anyone could fill the audit of any request.
  if (!check.ok && !check.claims) {
    deps.logger?.warn({ client: detail.client, reason: check.reason }, 'approval link with an unknown token');
    return send(res, 400, resultPage('Nothing was decided', refusalText[check.reason]!));
  }
  if (!check.ok)
    outcome = await deps.decider.refuseAttempt(attempt, check.reason, refusalText[check.reason]!);
  else if (check.claims.requestId !== requestId)
    outcome = await deps.decider.refuseAttempt(attempt, 'token-mismatch', refusalText['token-mismatch']!);
  else if (decision !== 'approve' && decision !== 'reject')
    return send(res, 400, resultPage('Nothing was decided', 'Choose approve or reject.'));
  else if (!approve && !comment)
    return send(res, 400, resultPage('Nothing was decided', 'A rejection needs a reason.'));
  else {
    outcome = await deps.decider.decide({
      ...attempt,
      ...(check.claims.actionHash ? { actionHash: check.claims.actionHash } : {}),
      token: { nonce: check.nonce, usedBy: 'email-link' },
    });
  }
  const { title, message, status } = outcomeText(outcome);
  send(res, status, resultPage(title, message));
}

/** The handler as Bolt `customRoutes` (HTTPReceiver / ExpressReceiver). */
export function approvalRoutes(
  deps: ApprovalHttpDependencies,
): { path: string; method: string[]; handler: (req: IncomingMessage, res: ServerResponse) => void }[] {
  const handler = createApprovalHttpHandler(deps);
  return [{ path: approvalsPath, method: ['GET', 'POST'], handler: (req, res) => void handler(req, res) }];
}
