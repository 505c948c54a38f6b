import { EventEmitter } from 'node:events';
import type {
  ApiCall,
  DeliveryKind,
  EphemeralMessage,
  ResponseUrlPost,
  SlackFile,
  SlackMessage,
  SlackView,
} from './types';

/** Everything that changes in the workspace, for live UIs and for tests to wait on. Plain JSON. */
export type LocalSlackChange =
  | { type: 'message_posted'; channel: string; message: SlackMessage }
  | { type: 'message_updated'; channel: string; message: SlackMessage }
  | { type: 'message_deleted'; channel: string; ts: string; thread_ts?: string }
  | { type: 'reaction_added'; channel: string; ts: string; user: string; name: string }
  | { type: 'reaction_removed'; channel: string; ts: string; user: string; name: string }
  | { type: 'ephemeral_posted'; ephemeral: EphemeralMessage }
  | { type: 'ephemeral_updated'; ephemeral: EphemeralMessage }
  | { type: 'ephemeral_deleted'; channel: string; user: string; ts: string }
  | { type: 'view_opened'; user: string; view: SlackView }
  | { type: 'view_pushed'; user: string; view: SlackView }
  | { type: 'view_updated'; user: string; view: SlackView }
  | { type: 'view_closed'; user: string; view_id: string }
  | { type: 'view_errors'; user: string; view_id: string; errors: Record<string, string> }
  | { type: 'file_uploaded'; file: SlackFile }
  | { type: 'response_url_posted'; post: ResponseUrlPost }
  | { type: 'api_call'; call: ApiCall }
  | { type: 'app_request'; kind: DeliveryKind; payload_type: string; status: number; event_id?: string };

export type LocalSlackEvent = LocalSlackChange & { seq: number; at: number };
export type LocalSlackEventType = LocalSlackEvent['type'];
export type EventOfType<K extends LocalSlackEventType> = Extract<LocalSlackEvent, { type: K }>;

export interface WaitOptions {
  timeoutMs?: number;
  /** Only consider events with a larger `seq` (from `feed.seq` taken earlier). Default 0: all events. */
  since?: number;
}

const MAX_LOG = 10_000;

/**
 * An ordered log of changes plus live listeners. `waitFor` looks at the log first, so a test that
 * awaits an event after triggering it cannot miss it however fast the app was.
 */
export class ChangeFeed {
  private readonly emitter = new EventEmitter();
  private readonly log: LocalSlackEvent[] = [];
  private lastSeq = 0;

  constructor(private readonly now: () => number) {
    this.emitter.setMaxListeners(0);
  }

  get seq(): number {
    return this.lastSeq;
  }

  emit(change: LocalSlackChange): LocalSlackEvent {
    const event: LocalSlackEvent = { ...structuredClone(change), seq: ++this.lastSeq, at: this.now() };
    this.log.push(event);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    this.emitter.emit('change', event);
    return event;
  }

  subscribe(listener: (event: LocalSlackEvent) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  events(since = 0): LocalSlackEvent[] {
    return this.log.filter((event) => event.seq > since);
  }

  waitFor(
    predicate: (event: LocalSlackEvent) => boolean,
    options: WaitOptions = {},
  ): Promise<LocalSlackEvent> {
    const { timeoutMs = 5000, since = 0 } = options;
    const past = this.log.find((event) => event.seq > since && predicate(event));
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`local-slack: no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.subscribe((event) => {
        // A throwing predicate must fail the wait, not the store mutation that emitted the event.
        try {
          if (event.seq <= since || !predicate(event)) return;
          resolve(event);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
        clearTimeout(timer);
        unsubscribe();
      });
    });
  }

  /** Re-evaluates `query` now and after every change until it returns something truthy. */
  waitUntil<T>(query: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const initial = query();
    if (initial) return Promise.resolve(initial);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`local-slack: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.subscribe(() => {
        try {
          const value = query();
          if (!value) return;
          resolve(value);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
        clearTimeout(timer);
        unsubscribe();
      });
    });
  }
}
