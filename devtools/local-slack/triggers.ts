import { SlackApiError } from './api-error';
import { triggerId } from './ids';

/** Where a trigger came from: the user who acted and, for modal interactions, the view. */
export interface TriggerContext {
  user: string;
  channel?: string;
  viewId?: string;
}

interface Trigger extends TriggerContext {
  issuedAt: number;
  exchanged: boolean;
}

/**
 * trigger_ids as Slack hands them out with commands and interactions: valid once, for a few seconds
 * (3 s in Slack), so a bot that is slow to open its modal fails here exactly as it would there.
 */
export class Triggers {
  private readonly triggers = new Map<string, Trigger>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  issue(context: TriggerContext): string {
    const id = triggerId(this.now());
    this.triggers.set(id, { ...context, issuedAt: this.now(), exchanged: false });
    return id;
  }

  exchange(id: string): TriggerContext {
    const trigger = this.triggers.get(id);
    if (!trigger) throw new SlackApiError('invalid_trigger_id');
    if (trigger.exchanged) throw new SlackApiError('exchanged_trigger_id');
    if (this.now() - trigger.issuedAt > this.ttlMs) throw new SlackApiError('expired_trigger_id');
    trigger.exchanged = true;
    const { user, channel, viewId } = trigger;
    return { user, ...(channel ? { channel } : {}), ...(viewId ? { viewId } : {}) };
  }
}
