import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { LocalSlackEvent } from '../change-feed';
import type { DeliveryOptions } from '../delivery';
import { sendJson, sendText } from '../http-body';
import type { LocalMail } from '../mail';
import type { LocalSlackServer } from '../server';
import type { EnteredValues } from '../view-state';
import { pageHtml } from './page';

/**
 * The browser front end of the local Slack, served by the LocalSlackServer itself: the page at `/`,
 * its script and styles under `/ui/`, a small JSON API (`/ui/api/…`) that turns what a person does
 * into the server's simulated-user calls, and a WebSocket (`/ui/ws`) relaying the change feed.
 */

const CLIENT_DIR = join(import.meta.dirname, 'client');
/** What Slack waits for an app's answer; a UI click should fail like Slack does, not hang. */
const UI_DELIVERY: DeliveryOptions = { timeoutMs: 3000 };
/** Change-feed noise the page never shows. */
const HIDDEN_EVENTS = new Set(['api_call', 'response_url_posted', 'file_uploaded']);

class BadRequest extends Error {}

type Json = Record<string, unknown>;

function field(body: Json, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new BadRequest(`missing ${name}`);
  return value;
}

function optionalField(body: Json, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Slack's client escapes what a person types; `@name` becomes a mention of that user. */
export function composeUserText(text: string, users: { id: string; name: string }[]): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const byName = new Map(users.map((u) => [u.name.toLowerCase(), u.id]));
  return escaped
    .replace(/(^|[\s(])@(here|channel|everyone)\b/g, '$1<!$2>')
    .replace(/(^|[\s(])@([a-z0-9._-]+)/gi, (whole, pre: string, name: string) => {
      const id = byName.get(name.toLowerCase().replace(/[.]+$/, ''));
      return id ? `${pre}<@${id}>${name.endsWith('.') ? '.' : ''}` : whole;
    });
}

/** Why an app request failed, in the words Slack's client uses ("dispatch_failed", "operation_timeout"). */
function deliveryError(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return 'operation_timeout';
  return 'dispatch_failed';
}

export class LocalSlackWeb {
  private wss: WebSocketServer | undefined;
  private mail: LocalMail | undefined;
  private bundle: Promise<string> | undefined;
  private commands = new Set(['/pantheon']);

  constructor(private readonly slack: LocalSlackServer) {}

  /** The slash commands the app registered (default `/pantheon`); others get Slack's "not a valid command". */
  setCommands(commands: readonly string[]): void {
    this.commands = new Set(commands);
  }

  /** Adds the Inbox (mail the app sent to local users, and replies) to the page. */
  attachMail(mail: LocalMail | undefined): void {
    this.mail = mail;
  }

  /** Accepts the page's WebSocket on the server's `upgrade` event. */
  listen(server: Server): void {
    const wss = new WebSocketServer({ noServer: true });
    this.wss = wss;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://local');
      if (url.pathname !== '/ui/ws') {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) =>
        this.connected(ws, Number(url.searchParams.get('since') ?? 0)),
      );
    });
  }

  async close(): Promise<void> {
    const wss = this.wss;
    this.wss = undefined;
    if (!wss) return;
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  /** Serves `/`, `/ui/…`; false for every other path (the Web API's routes). */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<boolean> {
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/' || path === '/ui' || path === '/ui/')) {
      sendText(res, 200, pageHtml(this.slack.ws.team.name), 'text/html; charset=utf-8');
      return true;
    }
    if (!path.startsWith('/ui/')) return false;
    try {
      if (req.method === 'GET') return await this.get(path, url, res);
      if (req.method === 'POST' && path.startsWith('/ui/api/')) {
        let body: Json = {};
        try {
          const parsed = raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : {};
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Json;
        } catch {
          throw new BadRequest('invalid JSON');
        }
        sendJson(res, 200, await this.post(path.slice('/ui/api/'.length), body));
        return true;
      }
      sendText(res, 404, 'not_found');
    } catch (error) {
      const status = error instanceof BadRequest ? 400 : 500;
      sendJson(res, status, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
    return true;
  }

  // ---- GET -------------------------------------------------------------------------------------

  private async get(path: string, url: URL, res: ServerResponse): Promise<boolean> {
    if (path === '/ui/app.js') {
      sendText(res, 200, await this.clientBundle(), 'text/javascript; charset=utf-8');
      return true;
    }
    if (path === '/ui/app.css') {
      sendText(res, 200, await readFile(join(CLIENT_DIR, 'styles.css'), 'utf8'), 'text/css; charset=utf-8');
      return true;
    }
    if (path === '/ui/api/state') {
      sendJson(res, 200, this.state());
      return true;
    }
    if (path === '/ui/api/mail') {
      const address = url.searchParams.get('address') ?? undefined;
      sendJson(res, 200, { ok: true, enabled: !!this.mail, mails: this.mail?.list(address) ?? [] });
      return true;
    }
    const mailItem = /^\/ui\/api\/mail\/([\w-]+)$/.exec(path)?.[1];
    if (mailItem) {
      const mail = this.mail?.get(mailItem);
      if (!mail) throw new BadRequest('no such mail');
      const { html: _html, ...rest } = mail;
      sendJson(res, 200, { ok: true, mail: { ...rest, hasHtml: !!mail.html } });
      return true;
    }
    const mailPart = /^\/ui\/mail\/([\w-]+)\/(html|raw)$/.exec(path);
    if (mailPart) {
      const [, id = '', part] = mailPart;
      if (part === 'raw') {
        const raw = this.mail?.raw(id);
        if (!raw) throw new BadRequest('no such mail');
        res.writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Security-Policy': "default-src 'none'",
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(raw);
        return true;
      }
      const mail = this.mail?.get(id);
      if (!mail) throw new BadRequest('no such mail');
      sendMailHtml(res, mail.html ?? `<pre>${escapeForPre(mail.text)}</pre>`);
      return true;
    }
    sendText(res, 404, 'not_found');
    return true;
  }

  /** The client script: the hand-written page logic plus the TypeScript renderers, bundled once. */
  private clientBundle(): Promise<string> {
    this.bundle ??= (async () => {
      const esbuild = await import('esbuild');
      const result = await esbuild.build({
        entryPoints: [join(CLIENT_DIR, 'app.mjs')],
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        platform: 'browser',
        sourcemap: 'inline',
        logLevel: 'silent',
      });
      return result.outputFiles[0]?.text ?? '';
    })();
    this.bundle.catch(() => (this.bundle = undefined));
    return this.bundle;
  }

  /** Everything the page needs for its first frame, plus the seq to follow the feed from. */
  private state(): Json {
    const snapshot = this.slack.snapshot();
    return {
      ok: true,
      seq: this.slack.seq,
      ...snapshot,
      mail: {
        enabled: !!this.mail,
        domain: this.mail?.dkim.domain,
        canReply: this.mail?.canDeliverReplies ?? false,
      },
    };
  }

  // ---- POST ------------------------------------------------------------------------------------

  private human(body: Json): string {
    const user = field(body, 'user');
    const record = this.slack.ws.directory.user(user);
    if (!record || record.is_bot) throw new BadRequest(`unknown user ${user}`);
    return user;
  }

  private async post(action: string, body: Json): Promise<Json> {
    switch (action) {
      case 'send':
        return this.send(body);
      case 'react': {
        const input = {
          user: this.human(body),
          channel: field(body, 'channel'),
          ts: field(body, 'ts'),
          name: field(body, 'name'),
        };
        const message = this.slack.message(input.channel, input.ts);
        const has = message?.reactions?.some((r) => r.name === input.name && r.users.includes(input.user));
        const add = typeof body.add === 'boolean' ? body.add : !has;
        if (add === has) return { ok: true, changed: false };
        return this.deliver(() =>
          add ? this.slack.addReaction(input, UI_DELIVERY) : this.slack.removeReaction(input, UI_DELIVERY),
        );
      }
      case 'click': {
        const user = this.human(body);
        const viewId = optionalField(body, 'viewId');
        const value = optionalField(body, 'value');
        const blockId = optionalField(body, 'blockId');
        const input = {
          user,
          actionId: field(body, 'actionId'),
          ...(blockId ? { blockId } : {}),
          ...(value !== undefined ? { value } : {}),
          ...(viewId ? { viewId } : { channel: field(body, 'channel'), messageTs: field(body, 'messageTs') }),
        };
        return this.deliver(() => this.slack.clickButton(input, UI_DELIVERY));
      }
      case 'submit': {
        const user = this.human(body);
        const values = (body.values && typeof body.values === 'object' ? body.values : {}) as EnteredValues;
        try {
          const result = await this.slack.submitView(
            { user, viewId: field(body, 'viewId'), values },
            UI_DELIVERY,
          );
          return {
            ok: result.outcome !== 'failed',
            outcome: result.outcome,
            ...(result.errors ? { errors: result.errors } : {}),
            ...(result.problems ? { error: 'view_submission_failed', problems: result.problems } : {}),
          };
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('local-slack:'))
            throw new BadRequest(error.message);
          return { ok: false, error: deliveryError(error) };
        }
      }
      case 'close': {
        const user = this.human(body);
        return this.deliver(
          async () =>
            (await this.slack.closeView(
              { user, viewId: field(body, 'viewId'), clear: body.clear === true },
              UI_DELIVERY,
            )) ?? { status: 200 },
        );
      }
      case 'open-dm': {
        const user = this.human(body);
        const { record } = this.slack.ws.directory.openConversation([user]);
        return { ok: true, channel: record };
      }
      case 'mail/reply': {
        if (!this.mail) throw new BadRequest('mail is not enabled');
        const from = this.slack.ws.directory.user(this.human(body))?.profile.email;
        if (!from) throw new BadRequest('the user has no email address');
        const text = field(body, 'text');
        const reply = await this.mail.reply({ id: field(body, 'id'), from, text });
        const { raw: _raw, ...rest } = reply;
        return {
          ok: reply.status === 'delivered',
          reply: rest,
          ...(reply.error ? { error: reply.error } : {}),
        };
      }
      default:
        throw new BadRequest(`unknown action ${action}`);
    }
  }

  /** A message typed in the composer: `/command …`, a mention of the app, or a plain message. */
  private async send(body: Json): Promise<Json> {
    const user = this.human(body);
    const channel = field(body, 'channel');
    const threadTs = optionalField(body, 'thread_ts');
    const typed = typeof body.text === 'string' ? body.text.trim() : '';
    if (!typed) throw new BadRequest('empty message');
    const slash = /^(\/[\w-]+)(?:\s+([\s\S]*))?$/.exec(typed);
    if (slash) {
      const command = slash[1] ?? '/pantheon';
      if (!this.commands.has(command))
        return {
          ok: false,
          error: 'invalid_command',
          command,
          message: `${command} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands. If you are trying to send a message and not run a command, try preceding the "/" with an empty space.`,
        };
      return this.deliver(
        () => this.slack.slashCommand({ user, channel, command, text: slash[2] ?? '' }, UI_DELIVERY),
        command,
      );
    }
    const { bot } = this.slack.ws;
    const humans = this.slack.ws.directory.listUsers().map((u) => ({ id: u.id, name: u.name }));
    const text = composeUserText(typed, humans);
    const input = { user, channel, text, ...(threadTs ? { threadTs } : {}) };
    const mentionsApp = text.includes(`<@${bot.userId}>`);
    return this.deliver(() =>
      mentionsApp ? this.slack.appMention(input, UI_DELIVERY) : this.slack.userMessage(input, UI_DELIVERY),
    );
  }

  /** Runs a simulated-user call; an app that is down or answers an error is reported, not thrown. */
  private async deliver(
    run: () => Promise<{ status: number; ts?: string }>,
    command?: string,
  ): Promise<Json> {
    try {
      const result = await run();
      if (result.status >= 200 && result.status < 300)
        return { ok: true, status: result.status, ...(result.ts ? { ts: result.ts } : {}) };
      return {
        ok: false,
        status: result.status,
        error: 'dispatch_failed',
        ...(command ? { command } : {}),
        ...(result.ts ? { ts: result.ts } : {}),
      };
    } catch (error) {
      // The workspace's own refusals (already reacted, no such message) are the page's mistake.
      if (error instanceof Error && error.message.startsWith('local-slack:'))
        throw new BadRequest(error.message);
      if (error instanceof Error && error.name === 'SlackApiError') throw new BadRequest(error.message);
      return { ok: false, error: deliveryError(error), ...(command ? { command } : {}) };
    }
  }

  // ---- WebSocket -------------------------------------------------------------------------------

  private connected(ws: WebSocket, since: number): void {
    let last = since;
    const send = (payload: Json): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
    };
    const forward = (event: LocalSlackEvent): void => {
      if (event.seq <= last) return;
      last = event.seq;
      if (HIDDEN_EVENTS.has(event.type)) return;
      if (event.type === 'app_request' && event.status >= 200 && event.status < 300) return;
      send({ kind: 'slack', event });
    };
    const unsubscribe = this.slack.subscribe(forward);
    // Whatever happened between the page's state fetch and this socket, then live.
    for (const event of this.slack.events(since)) forward(event);
    const unsubscribeMail = this.mail?.subscribe((event) => send({ kind: 'mail', event }));
    send({ kind: 'ready', seq: last });
    const stop = (): void => {
      unsubscribe();
      unsubscribeMail?.();
    };
    ws.on('close', stop);
    ws.on('error', stop);
    ws.on('message', (data: Buffer) => {
      if (data.toString() === 'ping') send({ kind: 'pong' });
    });
  }
}

function escapeForPre(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * An email's HTML for the page's sandboxed iframe: no scripts (CSP and sandbox), links open in a
 * new tab (`<base target>`; the iframe allows popups that escape the sandbox), remote images allowed.
 */
function sendMailHtml(res: ServerResponse, html: string): void {
  const base = '<base target="_blank">';
  const style =
    '<style>body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1c1d;margin:16px;word-wrap:break-word}img{max-width:100%}pre{white-space:pre-wrap}</style>';
  const withHead = /<head[^>]*>/i.test(html)
    ? html.replace(/<head[^>]*>/i, (head) => `${head}${base}${style}`)
    : `<!doctype html><html><head><meta charset="utf-8">${base}${style}</head><body>${html}</body></html>`;
  const body = Buffer.from(withHead, 'utf8');
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.length,
    'Content-Security-Policy':
      "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src http: https: data: cid:; style-src 'unsafe-inline' http: https:; font-src http: https: data:",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}
