import { SlackApiError } from './api-error';
import { isObject } from './args';
import { validateView } from './block-kit';
import type { AppDelivery, Delivered, DeliveryOptions } from './delivery';
import {
  type PayloadContext,
  messageBlockActions,
  slashCommandForm,
  viewBlockActions,
  viewClosed,
  viewSubmission,
} from './payloads';
import type { ResponseUrls } from './response-urls';
import type { ResponseUrlPost, SlackView, ViewRecord } from './types';
import { type EnteredValues, buildStateValues, elementState, findElement } from './view-state';

export interface SlashCommandInput {
  user: string;
  channel: string;
  /** Default `/pantheon`. */
  command?: string;
  text?: string;
}

export interface SlashCommandResult extends Delivered {
  responseUrl: string;
  triggerId: string;
  /** Everything answered so far: the ack body (when it had content) and each response_url POST. */
  responses(): ResponseUrlPost[];
}

/** Clicks an element in a message (`channel` + `messageTs`, ephemeral ones too) or in an open modal (`viewId`). */
export interface ClickInput {
  user: string;
  actionId: string;
  blockId?: string;
  /** For buttons, overrides the button's value; for selects, the option value to pick. */
  value?: string;
  channel?: string;
  messageTs?: string;
  viewId?: string;
}

export interface InteractionResult extends Delivered {
  payload: Record<string, unknown>;
  triggerId: string;
  responseUrl?: string;
  responses(): ResponseUrlPost[];
}

export interface SubmitInput {
  user: string;
  viewId: string;
  values?: EnteredValues;
}

/** How Slack's client treated the app's answer to a submission. */
export type SubmitOutcome = 'closed' | 'errors' | 'updated' | 'pushed' | 'cleared' | 'failed';

export interface SubmitResult extends Delivered {
  payload: Record<string, unknown>;
  outcome: SubmitOutcome;
  errors?: Record<string, string>;
  /** Why a non-closing outcome failed: a non-200 answer or an invalid view in the response_action. */
  problems?: string[];
}

export interface CloseInput {
  user: string;
  viewId: string;
  /** The X button (whole stack) rather than Back/Cancel (this view). */
  clear?: boolean;
}

/**
 * A simulated user doing things Slack sends as slash commands and interaction payloads, and the
 * Slack-side handling of the app's synchronous answers (ack bodies, response_action).
 */
export class UserInteractions {
  constructor(
    private readonly ctx: PayloadContext,
    private readonly delivery: AppDelivery,
    private readonly responseUrls: ResponseUrls,
    private readonly baseUrl: () => string,
  ) {}

  async slashCommand(input: SlashCommandInput, options?: DeliveryOptions): Promise<SlashCommandResult> {
    const { ws } = this.ctx;
    const channel = ws.directory.resolveChannel(input.channel);
    ws.directory.requireUser(input.user);
    const responseUrl = this.responseUrls.issue(
      { kind: 'commands', user: input.user, channel: channel.id },
      this.baseUrl(),
    );
    const triggerId = ws.triggers.issue({ user: input.user, channel: channel.id });
    const form = slashCommandForm(this.ctx, {
      user: input.user,
      channel,
      command: input.command ?? '/pantheon',
      text: input.text ?? '',
      responseUrl,
      triggerId,
    });
    const delivered = await this.delivery.send(
      'commands',
      form.toString(),
      'application/x-www-form-urlencoded',
      'slash_command',
      options,
    );
    this.applyAck(delivered, responseUrl);
    return { ...delivered, responseUrl, triggerId, responses: () => this.responseUrls.posts(responseUrl) };
  }

  async clickButton(input: ClickInput, options?: DeliveryOptions): Promise<InteractionResult> {
    const { ws } = this.ctx;
    if (input.viewId) return this.clickInView(input, input.viewId, options);
    if (!input.channel || !input.messageTs)
      throw new Error('local-slack: clickButton needs channel and messageTs, or viewId');

    const channel = ws.directory.resolveChannel(input.channel);
    const message = ws.messages.get(channel.id, input.messageTs);
    const ephemeral = message ? undefined : ws.ephemerals.get(channel.id, input.messageTs);
    if (ephemeral && ephemeral.user !== input.user)
      throw new Error(`local-slack: ${input.user} cannot see that ephemeral`);
    const blocks = message?.blocks ?? ephemeral?.message.blocks;
    if (!blocks)
      throw new Error(`local-slack: no message with blocks at ${input.messageTs} in ${channel.id}`);

    const action = this.action(blocks, input);
    const threadTs = message?.thread_ts ?? ephemeral?.thread_ts;
    const responseUrl = this.responseUrls.issue(
      {
        kind: 'actions',
        user: input.user,
        channel: channel.id,
        message: { ts: input.messageTs, ephemeral: !!ephemeral, ...(threadTs ? { threadTs } : {}) },
      },
      this.baseUrl(),
    );
    const triggerId = ws.triggers.issue({ user: input.user, channel: channel.id });
    const payload = messageBlockActions(this.ctx, {
      user: input.user,
      channel,
      ...(message ? { message } : {}),
      messageTs: input.messageTs,
      ephemeral: !!ephemeral,
      action,
      responseUrl,
      triggerId,
    });
    const delivered = await this.sendInteraction(payload, options);
    return {
      ...delivered,
      payload,
      triggerId,
      responseUrl,
      responses: () => this.responseUrls.posts(responseUrl),
    };
  }

  async submitView(input: SubmitInput, options?: DeliveryOptions): Promise<SubmitResult> {
    const { ws } = this.ctx;
    const record = this.openView(input.user, input.viewId);
    ws.views.setState(input.viewId, buildStateValues(record.view.blocks, input.values ?? {}));
    const view = ws.views.get(input.viewId)?.view ?? record.view;
    const triggerId = ws.triggers.issue({ user: input.user, viewId: input.viewId });
    const payload = viewSubmission(this.ctx, input.user, view, triggerId);
    const delivered = await this.sendInteraction(payload, options);
    return { ...delivered, payload, ...this.applyResponseAction(input, delivered) };
  }

  /** Closes the view as the user would. Slack only tells the app when the view set notify_on_close. */
  async closeView(input: CloseInput, options?: DeliveryOptions): Promise<Delivered | undefined> {
    const { ws } = this.ctx;
    const { view } = this.openView(input.user, input.viewId);
    ws.views.close(input.viewId, input.clear ?? false);
    if (!view.notify_on_close) return undefined;
    return this.sendInteraction(viewClosed(this.ctx, input.user, view, input.clear ?? false), options);
  }

  private async clickInView(
    input: ClickInput,
    viewId: string,
    options?: DeliveryOptions,
  ): Promise<InteractionResult> {
    const { ws } = this.ctx;
    const { view } = this.openView(input.user, viewId);
    const action = this.action(view.blocks, input);
    const triggerId = ws.triggers.issue({ user: input.user, viewId });
    const payload = viewBlockActions(this.ctx, input.user, view, action, triggerId);
    const delivered = await this.sendInteraction(payload, options);
    return { ...delivered, payload, triggerId, responses: () => [] };
  }

  /** The `actions[0]` entry for the element: a button's text/value/style, or a select's choice. */
  private action(blocks: SlackView['blocks'], input: ClickInput): Record<string, unknown> {
    const found = findElement(blocks, input.actionId, input.blockId);
    if (!found) throw new Error(`local-slack: no element with action_id ${input.actionId}`);
    const { element, blockId } = found;
    const common = { action_id: input.actionId, block_id: blockId, action_ts: this.ctx.ws.nextTs() };
    if (element.type !== 'button') return { ...elementState(element, input.value ?? null), ...common };
    const value = input.value ?? element.value;
    return {
      type: 'button',
      ...common,
      text: element.text,
      ...(value !== undefined ? { value } : {}),
      ...(element.style ? { style: element.style } : {}),
      ...(element.url ? { url: element.url } : {}),
    };
  }

  private openView(user: string, viewId: string): ViewRecord {
    const record = this.ctx.ws.views.get(viewId);
    if (!record?.open) throw new Error(`local-slack: view ${viewId} is not open`);
    if (record.user !== user)
      throw new Error(`local-slack: view ${viewId} belongs to ${record.user}, not ${user}`);
    return record;
  }

  private sendInteraction(payload: Record<string, unknown>, options?: DeliveryOptions): Promise<Delivered> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.delivery.send(
      'interactivity',
      body,
      'application/x-www-form-urlencoded',
      String(payload.type),
      options,
    );
  }

  /** A command's ack may carry a message (JSON, or plain text): Slack shows it like a response_url post. */
  private applyAck(delivered: Delivered, responseUrl: string): void {
    if (delivered.status !== 200 || delivered.body.trim() === '') return;
    const body = isObject(delivered.json) ? delivered.json : { text: delivered.body };
    this.responseUrls.applyAck(responseUrl, body);
  }

  private applyResponseAction(
    input: SubmitInput,
    delivered: Delivered,
  ): Pick<SubmitResult, 'outcome' | 'errors' | 'problems'> {
    const { ws } = this.ctx;
    if (delivered.status !== 200)
      return { outcome: 'failed', problems: [`app answered HTTP ${delivered.status}`] };
    const answer = isObject(delivered.json) ? delivered.json : {};
    const action = answer.response_action;
    if (action === 'errors') {
      const errors = isObject(answer.errors) ? (answer.errors as Record<string, string>) : {};
      ws.views.setErrors(input.viewId, errors);
      return { outcome: 'errors', errors };
    }
    if (action === 'clear') {
      ws.views.close(input.viewId, true);
      return { outcome: 'cleared' };
    }
    if (action === 'update' || action === 'push') {
      const problems = validateView(answer.view, '/view');
      if (problems.length > 0 || !isObject(answer.view)) return { outcome: 'failed', problems };
      try {
        if (action === 'update') ws.views.update({ viewId: input.viewId }, answer.view);
        else ws.views.push(input.user, answer.view, input.viewId);
      } catch (error) {
        if (error instanceof SlackApiError) return { outcome: 'failed', problems: [error.error] };
        throw error;
      }
      return { outcome: action === 'update' ? 'updated' : 'pushed' };
    }
    ws.views.close(input.viewId);
    return { outcome: 'closed' };
  }
}
