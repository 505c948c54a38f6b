import type { AppDelivery, Delivered, DeliveryOptions } from './delivery';
import { type PayloadContext, eventCallback, messageEvent, newClientMsgId, newEventId } from './payloads';

export interface UserMessageInput {
  user: string;
  channel: string;
  text: string;
  threadTs?: string;
}

export interface ReactionInput {
  user: string;
  channel: string;
  ts: string;
  name: string;
}

export interface EventDelivered extends Delivered {
  eventId: string;
  payload: Record<string, unknown>;
  /** The ts of the message the user posted (mentions and messages). */
  ts?: string;
}

/**
 * A simulated user doing things Slack reports through the Events API: the change lands in the
 * workspace first, then the signed `event_callback` goes to the app.
 */
export class UserEvents {
  constructor(
    private readonly ctx: PayloadContext,
    private readonly delivery: AppDelivery,
  ) {}

  /** Posts the user's message mentioning the bot (`<@BOT>` is prepended if missing) and delivers `app_mention`. */
  appMention(input: UserMessageInput, options?: DeliveryOptions): Promise<EventDelivered> {
    const mention = `<@${this.ctx.ws.bot.userId}>`;
    const text = input.text.includes(mention) ? input.text : `${mention} ${input.text}`;
    return this.postAndDeliver('app_mention', { ...input, text }, options);
  }

  /** Posts a plain user message and delivers the `message` event (channel_type tells DMs apart). */
  userMessage(input: UserMessageInput, options?: DeliveryOptions): Promise<EventDelivered> {
    return this.postAndDeliver('message', input, options);
  }

  addReaction(input: ReactionInput, options?: DeliveryOptions): Promise<EventDelivered> {
    return this.react('reaction_added', input, options);
  }

  removeReaction(input: ReactionInput, options?: DeliveryOptions): Promise<EventDelivered> {
    return this.react('reaction_removed', input, options);
  }

  /** Delivers an arbitrary event inside a proper envelope, for events without a helper. */
  async deliverEvent(event: Record<string, unknown>, options?: DeliveryOptions): Promise<EventDelivered> {
    const eventId = newEventId();
    const payload = eventCallback(this.ctx, event, eventId);
    const type = typeof event.type === 'string' ? event.type : 'event';
    const delivered = await this.delivery.send(
      'events',
      JSON.stringify(payload),
      'application/json',
      type,
      options,
      eventId,
    );
    return { ...delivered, eventId, payload };
  }

  private async postAndDeliver(
    type: 'message' | 'app_mention',
    input: UserMessageInput,
    options?: DeliveryOptions,
  ): Promise<EventDelivered> {
    const { ws } = this.ctx;
    const channel = ws.directory.resolveChannel(input.channel);
    ws.directory.requireUser(input.user);
    const message = ws.messages.post(
      channel.id,
      input.user,
      { text: input.text },
      { clientMsgId: newClientMsgId(), ...(input.threadTs ? { threadTs: input.threadTs } : {}) },
    );
    const delivered = await this.deliverEvent(messageEvent(type, channel, message), options);
    return { ...delivered, ts: message.ts };
  }

  private async react(
    type: 'reaction_added' | 'reaction_removed',
    input: ReactionInput,
    options?: DeliveryOptions,
  ): Promise<EventDelivered> {
    const { ws } = this.ctx;
    const channel = ws.directory.resolveChannel(input.channel);
    const message = ws.messages.get(channel.id, input.ts);
    if (!message) throw new Error(`local-slack: no message ${input.ts} in ${channel.id}`);
    if (type === 'reaction_added') ws.messages.addReaction(channel.id, input.ts, input.user, input.name);
    else ws.messages.removeReaction(channel.id, input.ts, input.user, input.name);
    return this.deliverEvent(
      {
        type,
        user: input.user,
        reaction: input.name,
        ...(message.user ? { item_user: message.user } : {}),
        item: { type: 'message', channel: channel.id, ts: input.ts },
        event_ts: ws.nextTs(),
      },
      options,
    );
  }
}
