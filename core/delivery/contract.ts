/**
 * The contract between everything that writes to Slack (or email) and the delivery queue.
 * Callers never call the Slack Web API directly: they hand a request to `Delivery`, which paces
 * it per channel, honours 429 Retry-After, retries with backoff, de-duplicates by idempotency key
 * and coalesces rapid `chat.update`s of one message.
 */
export interface DeliveryRequest {
  /** Pacing key: the Slack channel id (or an email address for email). */
  readonly channel: string;
  /** A Slack Web API method (`chat.postMessage`, `chat.update`, …) or `email.send`. */
  readonly method: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** Same key → delivered once, and a retried caller gets the first delivery's response. */
  readonly idempotencyKey: string;
  /** Requests with the same debounce key (e.g. `update:<channel>:<ts>`) coalesce: only the latest is sent. */
  readonly debounceKey?: string;
  /** The Temporal run this belongs to, so a delivery that fails for good is surfaced on it. */
  readonly runId?: string;
}

/** What Slack (or the mailer) answered, e.g. `{ ok: true, ts, channel }` for chat.postMessage. */
export type DeliveryResponse = Readonly<Record<string, unknown>>;

export interface Delivery {
  /** Enqueue and wait until delivered (or failed for good, which throws DeliveryFailedError). */
  send(request: DeliveryRequest): Promise<DeliveryResponse>;
  /** Enqueue without waiting; still never dropped — failures are logged and surfaced on the run. */
  enqueue(request: DeliveryRequest): Promise<void>;
  close(): Promise<void>;
}
