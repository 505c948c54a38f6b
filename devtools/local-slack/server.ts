import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog, type PostRateOptions } from './call-log';
import type { EventOfType, LocalSlackEvent, LocalSlackEventType, WaitOptions } from './change-feed';
import { AppDelivery, type Delivered, type DeliveryOptions, type DeliveryTargets } from './delivery';
import { type FailureSpec, Faults, type RateLimitSpec } from './faults';
import { parseBody, readBody, sendJson, sendText } from './http-body';
import { ResponseUrls } from './response-urls';
import { type WorkspaceSeed, resolveSeed } from './seed';
import type { ApiCall, EphemeralMessage, SlackFile, SlackMessage, ViewRecord } from './types';
import { type EventDelivered, type ReactionInput, UserEvents, type UserMessageInput } from './user-events';
import {
  type ClickInput,
  type CloseInput,
  type InteractionResult,
  type SlashCommandInput,
  type SlashCommandResult,
  type SubmitInput,
  type SubmitResult,
  UserInteractions,
} from './user-interactions';
import { WebApi } from './web-api';
import { LocalSlackWeb } from './web/ui-server';
import { Workspace, type WorkspaceSnapshot } from './workspace';

export interface LocalSlackOptions {
  /** Replace parts of the seeded workspace (team, bot, users, channels, usergroups). */
  workspace?: Partial<WorkspaceSeed>;
  /** The bot token the Web API accepts. Default `xoxb-local-slack`. */
  botToken?: string;
  /** Signs everything delivered to the app. Default `local-signing-secret`. */
  signingSecret?: string;
  /** The legacy `token` field inside payloads. */
  verificationToken?: string;
  /** The app's Request URL for events, commands and interactivity, e.g. `http://127.0.0.1:3000/slack/events`. */
  appUrl?: string;
  /** Per-kind overrides of `appUrl`. */
  eventsUrl?: string;
  commandsUrl?: string;
  interactivityUrl?: string;
  /** How long a trigger_id stays valid. Default 3000 ms, as in Slack. */
  triggerTtlMs?: number;
  /** The workspace clock (ms), for tests that move time. Default Date.now. */
  now?: () => number;
}

export interface StartOptions {
  port?: number;
  host?: string;
}

/**
 * A local Slack: the Web API over HTTP (for the app's WebClient), a recorded and observable
 * workspace, fault injection, and simulated users whose actions reach the app as signed requests.
 */
export class LocalSlackServer {
  readonly botToken: string;
  readonly signingSecret: string;
  readonly ws: Workspace;
  private readonly faults: Faults;
  private readonly log = new CallLog();
  private readonly webApi: WebApi;
  private readonly responseUrls: ResponseUrls;
  private readonly delivery: AppDelivery;
  private readonly userEvents: UserEvents;
  private readonly interactions: UserInteractions;
  private readonly targets: DeliveryTargets;
  private server: Server | undefined;
  private baseUrl = '';
  /** The browser workspace at `/` (page, `/ui/api/…`, `/ui/ws`); `web.attachMail` adds the Inbox. */
  readonly web: LocalSlackWeb = new LocalSlackWeb(this);

  constructor(options: LocalSlackOptions = {}) {
    const now = options.now ?? Date.now;
    this.botToken = options.botToken ?? 'xoxb-local-slack';
    this.signingSecret = options.signingSecret ?? 'local-signing-secret';
    this.ws = new Workspace(resolveSeed(options.workspace), now, options.triggerTtlMs ?? 3000);
    this.faults = new Faults(now);
    this.webApi = new WebApi(this.ws, this.faults, this.log, this.botToken);
    this.responseUrls = new ResponseUrls(this.ws);
    const appUrl = options.appUrl ?? '';
    this.targets = {
      events: options.eventsUrl ?? appUrl,
      commands: options.commandsUrl ?? appUrl,
      interactivity: options.interactivityUrl ?? appUrl,
    };
    this.delivery = new AppDelivery(this.signingSecret, () => this.targets, this.ws.feed);
    const payloadContext = {
      ws: this.ws,
      verificationToken: options.verificationToken ?? 'local-verification-token',
    };
    this.userEvents = new UserEvents(payloadContext, this.delivery);
    this.interactions = new UserInteractions(
      payloadContext,
      this.delivery,
      this.responseUrls,
      () => this.baseUrl,
    );
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Listens and returns the base URL; the Web API is at `${url}/api/`. */
  async start({ port = 0, host = '127.0.0.1' }: StartOptions = {}): Promise<string> {
    if (this.server) throw new Error('local-slack: already started');
    const server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.server = server;
    this.web.listen(server);
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await this.web.close();
    // Keep-alive sockets (fetch's pool) would otherwise hold close() open.
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  get url(): string {
    return this.baseUrl;
  }

  /** What to give WebClient as `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** Points deliveries at the app once its port is known. */
  setAppUrl(
    url: string,
    kinds: readonly (keyof DeliveryTargets)[] = ['events', 'commands', 'interactivity'],
  ): void {
    for (const kind of kinds) this.targets[kind] = url;
  }

  // ---- state -----------------------------------------------------------------------------------

  snapshot(): WorkspaceSnapshot {
    return this.ws.snapshot();
  }

  /** Messages of a channel (id, `#name` or a user id for the bot's DM), oldest first. */
  messages(channel: string, { includeReplies = true }: { includeReplies?: boolean } = {}): SlackMessage[] {
    const id = this.channelId(channel);
    return includeReplies ? this.ws.messages.all(id) : this.ws.messages.history(id);
  }

  /** The thread's parent followed by its replies. */
  thread(channel: string, ts: string): SlackMessage[] {
    return this.ws.messages.thread(this.channelId(channel), ts);
  }

  message(channel: string, ts: string): SlackMessage | undefined {
    return this.ws.messages.get(this.channelId(channel), ts);
  }

  ephemerals(filter: { channel?: string; user?: string } = {}): EphemeralMessage[] {
    return this.ws.ephemerals.list({
      ...filter,
      ...(filter.channel ? { channel: this.channelId(filter.channel) } : {}),
    });
  }

  views(filter: { user?: string; open?: boolean } = {}): ViewRecord[] {
    return this.ws.views.list(filter);
  }

  view(viewId: string): ViewRecord | undefined {
    return this.ws.views.get(viewId);
  }

  files(): SlackFile[] {
    return this.ws.files.list();
  }

  fileContent(fileId: string): Buffer | undefined {
    return this.ws.files.content(fileId);
  }

  // ---- recording and events ---------------------------------------------------------------------

  calls(method?: string): ApiCall[] {
    return this.log.calls(method);
  }

  clearCalls(): void {
    this.log.clear();
  }

  /** Peak posts per window (default: chat.postMessage per second) in the busiest channel, or `channel`. */
  maxPostRate(options?: PostRateOptions): number {
    return this.log.maxPostRate(options);
  }

  subscribe(listener: (event: LocalSlackEvent) => void): () => void {
    return this.ws.feed.subscribe(listener);
  }

  /** The change log (bounded); `since` is a `seq` to read after. */
  events(since?: number): LocalSlackEvent[] {
    return this.ws.feed.events(since);
  }

  /** The `seq` of the latest change: pass it as `since` to wait only for what happens next. */
  get seq(): number {
    return this.ws.feed.seq;
  }

  /**
   * Resolves with the first change (already happened or coming) matching. Either a predicate, or an
   * event type plus an optional predicate on that type's events. Options: a timeout in ms, or
   * `{ timeoutMs, since }`.
   */
  waitFor<K extends LocalSlackEventType>(
    type: K,
    predicate?: (event: EventOfType<K>) => boolean,
    options?: number | WaitOptions,
  ): Promise<EventOfType<K>>;
  waitFor(
    predicate: (event: LocalSlackEvent) => boolean,
    options?: number | WaitOptions,
  ): Promise<LocalSlackEvent>;
  waitFor(
    typeOrPredicate: LocalSlackEventType | ((event: LocalSlackEvent) => boolean),
    predicateOrOptions?: ((event: LocalSlackEvent) => boolean) | number | WaitOptions,
    maybeOptions?: number | WaitOptions,
  ): Promise<LocalSlackEvent> {
    let match: (event: LocalSlackEvent) => boolean;
    let options: number | WaitOptions | undefined;
    if (typeof typeOrPredicate === 'string') {
      const extra = typeof predicateOrOptions === 'function' ? predicateOrOptions : undefined;
      options =
        typeof predicateOrOptions === 'function' || predicateOrOptions === undefined
          ? maybeOptions
          : predicateOrOptions;
      match = (event) => event.type === typeOrPredicate && (!extra || extra(event));
    } else {
      match = typeOrPredicate;
      options = typeof predicateOrOptions === 'function' ? undefined : predicateOrOptions;
    }
    const waitOptions = typeof options === 'number' ? { timeoutMs: options } : (options ?? {});
    return this.ws.feed.waitFor(match, waitOptions);
  }

  /** Re-checks `query` after every change until it returns something truthy, e.g. a message. */
  waitUntil<T>(query: () => T | undefined | null | false, timeoutMs?: number): Promise<T> {
    return this.ws.feed.waitUntil(query, timeoutMs);
  }

  // ---- faults ----------------------------------------------------------------------------------

  /** The next call(s) of `method` fail: `{ status: 429, retryAfterSeconds }` or `{ error: 'internal_error' }`. */
  failNext(method: string, spec?: FailureSpec): void {
    this.faults.failNext(method, spec);
  }

  /** Answers 429 + Retry-After beyond `perSecond` calls per channel; returns a function that lifts it. */
  rateLimit(spec: RateLimitSpec): () => void {
    return this.faults.rateLimit(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  // ---- simulated users -------------------------------------------------------------------------

  slashCommand(input: SlashCommandInput, options?: DeliveryOptions): Promise<SlashCommandResult> {
    return this.interactions.slashCommand(input, options);
  }

  appMention(input: UserMessageInput, options?: DeliveryOptions): Promise<EventDelivered> {
    return this.userEvents.appMention(input, options);
  }

  userMessage(input: UserMessageInput, options?: DeliveryOptions): Promise<EventDelivered> {
    return this.userEvents.userMessage(input, options);
  }

  addReaction(input: ReactionInput, options?: DeliveryOptions): Promise<EventDelivered> {
    return this.userEvents.addReaction(input, options);
  }

  removeReaction(input: ReactionInput, options?: DeliveryOptions): Promise<EventDelivered> {
    return this.userEvents.removeReaction(input, options);
  }

  deliverEvent(event: Record<string, unknown>, options?: DeliveryOptions): Promise<EventDelivered> {
    return this.userEvents.deliverEvent(event, options);
  }

  clickButton(input: ClickInput, options?: DeliveryOptions): Promise<InteractionResult> {
    return this.interactions.clickButton(input, options);
  }

  submitView(input: SubmitInput, options?: DeliveryOptions): Promise<SubmitResult> {
    return this.interactions.submitView(input, options);
  }

  closeView(input: CloseInput, options?: DeliveryOptions): Promise<Delivered | undefined> {
    return this.interactions.closeView(input, options);
  }

  /** Sends an earlier delivery again as Slack's retry: same body and event_id, retry headers, fresh signature. */
  redeliver(
    previous: Delivered,
    retry: { num?: number; reason?: string } = {},
    options?: DeliveryOptions,
  ): Promise<Delivered> {
    return this.delivery.resend(
      previous,
      { num: retry.num ?? 1, reason: retry.reason ?? 'http_timeout' },
      options,
    );
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private channelId(channel: string): string {
    return this.ws.directory.conversation(channel)?.id ?? this.ws.directory.resolveChannel(channel).id;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.baseUrl);
      const raw = await readBody(req);
      const apiMethod = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
      if (apiMethod) return await this.serveApi(apiMethod, req, raw, url, res);

      const upload = /^\/upload\/v1\/(\w+)$/.exec(url.pathname)?.[1];
      if (upload && req.method === 'POST') {
        const { files } = await parseBody(raw, req.headers['content-type'], new URLSearchParams());
        // @slack/web-api sends the bytes as a multipart part; other clients POST them raw.
        const bytes = files.values().next().value ?? raw;
        if (!this.ws.files.receive(upload, bytes)) return sendText(res, 404, 'file_not_found');
        return sendText(res, 200, `OK - ${bytes.length}`);
      }

      const file = /^\/files\/(\w+)\//.exec(url.pathname)?.[1];
      if (file && req.method === 'GET') {
        const content = this.ws.files.content(file);
        const info = this.ws.files.info(file);
        if (!content || !info) return sendText(res, 404, 'file_not_found');
        res.writeHead(200, { 'Content-Type': info.mimetype, 'Content-Length': content.length });
        res.end(content);
        return;
      }

      if (this.responseUrls.owns(url.pathname) && req.method === 'POST') {
        const { params } = await parseBody(
          raw,
          req.headers['content-type'] ?? 'application/json',
          new URLSearchParams(),
        );
        const payload = typeof params.payload === 'string' ? (JSON.parse(params.payload) as unknown) : params;
        const answer = this.responseUrls.receive(url.pathname, payload);
        return sendJson(res, answer.status, answer.body);
      }
      if (await this.web.handle(req, res, url, raw)) return;
      sendText(res, 404, 'not_found');
    } catch (error) {
      sendJson(res, 500, { ok: false, error: 'fatal_error', local_slack_error: String(error) });
    }
  }

  private async serveApi(
    method: string,
    req: IncomingMessage,
    raw: Buffer,
    url: URL,
    res: ServerResponse,
  ): Promise<void> {
    let params: Record<string, unknown>;
    try {
      ({ params } = await parseBody(raw, req.headers['content-type'], url.searchParams));
    } catch (error) {
      const code =
        error instanceof Error && error.message === 'json_not_object' ? 'json_not_object' : 'invalid_json';
      return sendJson(res, 200, { ok: false, error: code });
    }
    const reply = this.webApi.call(method, params, req.headers.authorization, this.baseUrl);
    sendJson(res, reply.status, reply.body, reply.headers);
  }
}
