import { SlackApiError } from './api-error';
import { Args } from './args';
import type { CallLog } from './call-log';
import type { Faults } from './faults';
import { UNAUTHENTICATED_METHODS, apiMethods } from './methods';
import type { Workspace } from './workspace';

export interface ApiReply {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Fields clients send JSON-encoded; recorded decoded so tests can assert on them directly. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata', 'files'];

function recordableArgs(params: Record<string, unknown>): Record<string, unknown> {
  const { token: _token, ...args } = params;
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      args[field] = JSON.parse(value) as unknown;
    } catch {
      // Left as sent: the method itself reports the bad JSON.
    }
  }
  return args;
}

/**
 * One Web API call end to end, in Slack's order: method exists, token is valid, injected faults,
 * then the method. Every call is recorded and announced, failures included.
 */
export class WebApi {
  constructor(
    private readonly ws: Workspace,
    private readonly faults: Faults,
    private readonly log: CallLog,
    private readonly botToken: string,
  ) {}

  call(
    method: string,
    params: Record<string, unknown>,
    authorization: string | undefined,
    baseUrl: string,
  ): ApiReply {
    const at = this.ws.now();
    const reply = this.answer(method, params, authorization, baseUrl);
    const call = { method, args: recordableArgs(params), at, status: reply.status, response: reply.body };
    this.log.record(call);
    this.ws.feed.emit({ type: 'api_call', call });
    return reply;
  }

  private answer(
    method: string,
    params: Record<string, unknown>,
    authorization: string | undefined,
    baseUrl: string,
  ): ApiReply {
    const handler = apiMethods[method];
    if (!handler)
      return { status: 200, headers: {}, body: { ok: false, error: 'unknown_method', req_method: method } };

    if (!UNAUTHENTICATED_METHODS.has(method)) {
      const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
      const token = bearer ?? (typeof params.token === 'string' ? params.token : undefined);
      if (!token) return { status: 200, headers: {}, body: { ok: false, error: 'not_authed' } };
      if (token !== this.botToken)
        return { status: 200, headers: {}, body: { ok: false, error: 'invalid_auth' } };
    }

    const channel = params.channel ?? params.channel_id;
    const fault = this.faults.check(method, typeof channel === 'string' ? channel : undefined);
    if (fault) return fault;

    try {
      return {
        status: 200,
        headers: {},
        body: { ok: true, ...handler(new Args(params), { ws: this.ws, baseUrl }) },
      };
    } catch (error) {
      if (error instanceof SlackApiError) return { status: 200, headers: {}, body: error.toResponse() };
      // A bug in the local Slack itself: answer loudly rather than pretend Slack said something.
      return {
        status: 500,
        headers: {},
        body: { ok: false, error: 'fatal_error', local_slack_error: String(error) },
      };
    }
  }
}
