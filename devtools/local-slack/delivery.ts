import type { ChangeFeed } from './change-feed';
import { signatureHeaders } from './signing';
import type { DeliveryKind } from './types';

/** How to sign a delivery: properly, not at all, with the wrong secret, or with a 6-minute-old timestamp. */
export type SignatureMode = 'valid' | 'unsigned' | 'wrong' | 'stale';

export interface DeliveryOptions {
  signature?: SignatureMode;
  /** Send as Slack's retry N of this same payload (X-Slack-Retry-Num / X-Slack-Retry-Reason). */
  retry?: { num: number; reason?: string };
  /** How long to wait for the app's answer. Slack gives up after 3 s; the default is laxer for slow CI. */
  timeoutMs?: number;
}

export interface AppRequest {
  kind: DeliveryKind;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What the app answered. `json` is the parsed body when it was JSON. */
export interface Delivered {
  request: AppRequest;
  status: number;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  durationMs: number;
}

export interface DeliveryTargets {
  events: string;
  commands: string;
  interactivity: string;
}

const STALE_SECONDS = 6 * 60;

/** POSTs payloads to the app exactly as Slack does: signed, with Slack's content types and headers. */
export class AppDelivery {
  constructor(
    private readonly signingSecret: string,
    private readonly targets: () => DeliveryTargets,
    private readonly feed: ChangeFeed,
  ) {}

  /** `payloadType` only labels the change event (e.g. `app_mention`, `block_actions`). */
  async send(
    kind: DeliveryKind,
    body: string,
    contentType: string,
    payloadType: string,
    options: DeliveryOptions = {},
    eventId?: string,
  ): Promise<Delivered> {
    const url = this.targets()[kind];
    if (!url)
      throw new Error(`local-slack: no app URL configured for ${kind}; pass appUrl or call setAppUrl()`);
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...this.signature(body, options.signature ?? 'valid'),
    };
    if (options.retry) {
      headers['X-Slack-Retry-Num'] = String(options.retry.num);
      headers['X-Slack-Retry-Reason'] = options.retry.reason ?? 'http_timeout';
    }
    const request: AppRequest = { kind, url, headers, body };
    const started = Date.now();
    const label = { kind, payload_type: payloadType, ...(eventId ? { event_id: eventId } : {}) };
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      // Unreachable or too slow: still a fact worth showing (status 0), then the caller's failure.
      this.feed.emit({ type: 'app_request', ...label, status: 0 });
      throw error;
    }
    const text = await response.text();
    const delivered: Delivered = {
      request,
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: text,
      durationMs: Date.now() - started,
    };
    if ((response.headers.get('content-type') ?? '').includes('json') && text) {
      try {
        delivered.json = JSON.parse(text) as unknown;
      } catch {
        // Not JSON after all: `body` has the text.
      }
    }
    this.feed.emit({ type: 'app_request', ...label, status: response.status });
    return delivered;
  }

  /** Sends a previous request again as Slack's retry: same body (same event_id), fresh signature. */
  resend(
    previous: Delivered,
    retry: { num: number; reason?: string },
    options: DeliveryOptions = {},
  ): Promise<Delivered> {
    const { kind, body, headers } = previous.request;
    return this.send(kind, body, headers['Content-Type'] ?? 'application/json', 'retry', {
      ...options,
      retry,
    });
  }

  /** Signed with the real clock, not the workspace's: the app checks freshness against its own. */
  private signature(body: string, mode: SignatureMode): Record<string, string> {
    const nowSec = Math.floor(Date.now() / 1000);
    switch (mode) {
      case 'unsigned':
        return {};
      case 'wrong':
        return signatureHeaders(`${this.signingSecret}-but-wrong`, nowSec, body);
      case 'stale':
        return signatureHeaders(this.signingSecret, nowSec - STALE_SECONDS, body);
      case 'valid':
        return signatureHeaders(this.signingSecret, nowSec, body);
    }
  }
}
