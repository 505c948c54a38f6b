import type { DeliveryResponse } from './contract';

/**
 * Makes one call to the outside world, with no retries of its own: the queue owns pacing and
 * retries. Throws `SendError` (see errors.ts) to say whether and when to retry.
 */
export interface Sender {
  send(method: string, args: Readonly<Record<string, unknown>>): Promise<DeliveryResponse>;
}

/**
 * Senders by method prefix, longest prefix wins: `{ '': slack, 'email.': mailer }` sends
 * `email.send` to the mailer and every other method to Slack.
 */
export type SenderMap = Readonly<Record<string, Sender>>;

export function senderFor(senders: SenderMap, method: string): Sender | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(senders)) {
    if (method.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : senders[best];
}
