import type { WebClient } from '@slack/web-api';
import type { Delivery, DeliveryRequest, DeliveryResponse } from '../../core/delivery/contract';

/**
 * A Delivery without a queue, for tests and benchmarks: calls the Slack Web API directly and keeps
 * the contract's de-duplication (same idempotency key → one call, the first response).
 */
export class DirectDelivery implements Delivery {
  readonly #sent = new Map<string, Promise<DeliveryResponse>>();

  constructor(private readonly client: WebClient) {}

  send(request: DeliveryRequest): Promise<DeliveryResponse> {
    const existing = this.#sent.get(request.idempotencyKey);
    if (existing) return existing;
    const sending = this.client
      .apiCall(request.method, { ...request.args })
      .then((r) => r as unknown as DeliveryResponse);
    this.#sent.set(request.idempotencyKey, sending);
    sending.catch(() => this.#sent.delete(request.idempotencyKey));
    return sending;
  }

  async enqueue(request: DeliveryRequest): Promise<void> {
    await this.send(request);
  }

  async close(): Promise<void> {}
}
