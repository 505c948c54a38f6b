import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  raw: string;
}

/**
 * A local server speaking the part of Gmail's REST API (and the OAuth token endpoint) that the
 * poller uses, for googleapis pointed at it through `rootUrl`: messages.list/get/modify.
 */
export class FakeGmail {
  readonly messages = new Map<string, StoredMessage>();
  /** Every API call, with its query (`format=raw`…), for tests to check what the poller asked for. */
  readonly requests: { method: string; path: string; query: string }[] = [];
  readonly accessToken = `ya29.fake-${randomBytes(6).toString('hex')}`;
  #server: Server | undefined;
  url = '';

  async start(): Promise<string> {
    this.#server = createServer((req, res) => void this.#route(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`;
    return this.url;
  }

  /** A message arriving in the mailbox (unread, in the inbox). */
  deliver(raw: string): string {
    const id = randomBytes(8).toString('hex');
    this.messages.set(id, {
      id,
      threadId: id,
      labelIds: ['INBOX', 'UNREAD'],
      raw: Buffer.from(raw).toString('base64url'),
    });
    return id;
  }

  async close(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'refresh_token' || !form.get('refresh_token'))
        return json(400, { error: 'invalid_grant' });
      return json(200, {
        access_token: this.accessToken,
        expires_in: 3599,
        token_type: 'Bearer',
        scope: 'https://www.googleapis.com/auth/gmail.modify',
      });
    }
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) {
      return json(401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      });
    }
    const match = /^\/gmail\/v1\/users\/([^/]+)\/messages(?:\/([^/]+))?(\/modify)?$/.exec(url.pathname);
    if (!match) return json(404, { error: { code: 404, message: 'Not Found' } });
    const [, , id, modify] = match;
    if (!id && req.method === 'GET') {
      const labels = url.searchParams.getAll('labelIds');
      const found = [...this.messages.values()].filter((m) => labels.every((l) => m.labelIds.includes(l)));
      return json(
        200,
        found.length
          ? {
              messages: found.map((m) => ({ id: m.id, threadId: m.threadId })),
              resultSizeEstimate: found.length,
            }
          : { resultSizeEstimate: 0 },
      );
    }
    const message = id ? this.messages.get(id) : undefined;
    if (!message)
      return json(404, {
        error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' },
      });
    if (modify && req.method === 'POST') {
      const change = JSON.parse(body || '{}') as { addLabelIds?: string[]; removeLabelIds?: string[] };
      message.labelIds = [
        ...new Set([
          ...message.labelIds.filter((l) => !change.removeLabelIds?.includes(l)),
          ...(change.addLabelIds ?? []),
        ]),
      ];
      return json(200, { id: message.id, threadId: message.threadId, labelIds: message.labelIds });
    }
    if (req.method === 'GET') {
      // Like Gmail: the whole RFC 822 message (base64url) only for format=raw; its size always.
      const sizeEstimate = Buffer.from(message.raw, 'base64url').length;
      return json(200, {
        id: message.id,
        threadId: message.threadId,
        labelIds: message.labelIds,
        sizeEstimate,
        ...(url.searchParams.get('format') === 'raw' ? { raw: message.raw } : {}),
      });
    }
    return json(405, { error: { code: 405, message: 'Method not allowed' } });
  }
}
