import { randomInt } from 'node:crypto';
import { SlackApiError } from './api-error';
import type { ChangeFeed } from './change-feed';
import type { Directory } from './directory';
import { slackId } from './ids';
import type { Block, SlackView, TextObject, ViewRecord, ViewStateValues } from './types';

/** A view as the app sends it (already validated by block-kit's validateView). */
export type ViewInput = Record<string, unknown>;

const MAX_STACK = 3;

/**
 * Modals and their stacks. A user sees one stack at a time: views.open starts a new root, views.push
 * stacks up to three, closing pops one view (or clears the whole stack).
 */
export class ViewStore {
  private readonly records = new Map<string, ViewRecord>();
  private readonly stacks = new Map<string, string[]>();

  constructor(
    private readonly feed: ChangeFeed,
    private readonly directory: Directory,
    private readonly now: () => number,
  ) {}

  open(user: string, input: ViewInput): SlackView {
    for (const record of this.records.values()) {
      if (record.user === user && record.open && record.view.type === 'modal')
        this.closeStack(record.view.root_view_id);
    }
    this.assertExternalIdFree(input);
    const view = this.build(input, slackId('V'), null);
    this.records.set(view.id, { view, user, open: true });
    this.stacks.set(view.id, [view.id]);
    this.feed.emit({ type: 'view_opened', user, view });
    return structuredClone(view);
  }

  /** Pushes onto `user`'s open stack (the one containing `nearViewId` when given). */
  push(user: string, input: ViewInput, nearViewId?: string): SlackView {
    const rootId = nearViewId ? this.records.get(nearViewId)?.view.root_view_id : this.openRootOf(user);
    const stack = rootId ? this.stacks.get(rootId) : undefined;
    const top = stack?.at(-1);
    if (!rootId || !stack || !top) throw new SlackApiError('not_found');
    if (stack.length >= MAX_STACK) throw new SlackApiError('push_limit_reached');
    this.assertExternalIdFree(input);
    const view = this.build(input, slackId('V'), top, rootId);
    this.records.set(view.id, { view, user, open: true });
    stack.push(view.id);
    this.feed.emit({ type: 'view_pushed', user, view });
    return structuredClone(view);
  }

  /** views.update and response_action `update`: same id, new content, new hash. */
  update(
    idOrExternalId: { viewId?: string; externalId?: string },
    input: ViewInput,
    hash?: string,
  ): SlackView {
    const record = this.findRecord(idOrExternalId);
    if (!record) throw new SlackApiError('not_found');
    if (hash !== undefined && hash !== record.view.hash) throw new SlackApiError('hash_conflict');
    const { id, previous_view_id, root_view_id, state } = record.view;
    record.view = { ...this.build(input, id, previous_view_id, root_view_id), state };
    delete record.errors;
    this.feed.emit({ type: 'view_updated', user: record.user, view: record.view });
    return structuredClone(record.view);
  }

  get(viewId: string): ViewRecord | undefined {
    const record = this.records.get(viewId);
    return record && structuredClone(record);
  }

  list(filter: { user?: string; open?: boolean } = {}): ViewRecord[] {
    return structuredClone(
      [...this.records.values()].filter(
        (r) =>
          (filter.user === undefined || r.user === filter.user) &&
          (filter.open === undefined || r.open === filter.open),
      ),
    );
  }

  setState(viewId: string, values: ViewStateValues): void {
    const record = this.records.get(viewId);
    if (record) record.view.state = { values };
  }

  setErrors(viewId: string, errors: Record<string, string>): void {
    const record = this.records.get(viewId);
    if (!record) return;
    record.errors = errors;
    this.feed.emit({ type: 'view_errors', user: record.user, view_id: viewId, errors });
  }

  /** Closes `viewId` (back to the previous view) or, with `clear`, its whole stack. */
  close(viewId: string, clear = false): void {
    const record = this.records.get(viewId);
    if (!record?.open) return;
    if (clear) return this.closeStack(record.view.root_view_id);
    const stack = this.stacks.get(record.view.root_view_id) ?? [];
    stack.splice(stack.indexOf(viewId), 1);
    this.markClosed(record);
  }

  snapshot(): ViewRecord[] {
    return structuredClone([...this.records.values()]);
  }

  private closeStack(rootId: string): void {
    const stack = this.stacks.get(rootId) ?? [];
    for (const id of stack.reverse()) {
      const record = this.records.get(id);
      if (record) this.markClosed(record);
    }
    this.stacks.set(rootId, []);
  }

  private markClosed(record: ViewRecord): void {
    record.open = false;
    this.feed.emit({ type: 'view_closed', user: record.user, view_id: record.view.id });
  }

  private openRootOf(user: string): string | undefined {
    for (const [rootId, stack] of this.stacks) {
      if (stack.length > 0 && this.records.get(rootId)?.user === user) return rootId;
    }
    return undefined;
  }

  private findRecord({
    viewId,
    externalId,
  }: {
    viewId?: string;
    externalId?: string;
  }): ViewRecord | undefined {
    if (viewId) return this.records.get(viewId);
    return [...this.records.values()].find((r) => externalId && r.view.external_id === externalId);
  }

  private assertExternalIdFree(input: ViewInput): void {
    const externalId = typeof input.external_id === 'string' ? input.external_id : '';
    if (externalId && this.findRecord({ externalId })) throw new SlackApiError('duplicate_external_id');
  }

  private build(input: ViewInput, id: string, previous: string | null, rootId = id): SlackView {
    const { team, bot } = this.directory;
    const text = (value: unknown): TextObject | null => (value as TextObject | undefined) ?? null;
    return {
      id,
      team_id: team.id,
      type: input.type === 'home' ? 'home' : 'modal',
      ...(input.title ? { title: input.title as TextObject } : {}),
      submit: text(input.submit),
      close: text(input.close),
      blocks: (input.blocks as Block[] | undefined) ?? [],
      private_metadata: typeof input.private_metadata === 'string' ? input.private_metadata : '',
      callback_id: typeof input.callback_id === 'string' ? input.callback_id : '',
      external_id: typeof input.external_id === 'string' ? input.external_id : '',
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${randomInt(1e7, 1e8)}`,
      clear_on_close: input.clear_on_close === true,
      notify_on_close: input.notify_on_close === true,
      root_view_id: rootId,
      previous_view_id: previous,
      app_id: bot.appId,
      app_installed_team_id: team.id,
      bot_id: bot.botId,
    };
  }
}
