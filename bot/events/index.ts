import type { App } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';
import { appMention } from './app-mention';
import { reactionAdded } from './reaction-added';
import { reactionRemoved } from './reaction-removed';

/** Events API listeners (Bolt acks events before they run). */
export function register(app: App<BotContext>, deps: BotDeps): void {
  app.event('app_mention', appMention(deps));
  app.event('reaction_added', reactionAdded(deps));
  app.event('reaction_removed', reactionRemoved(deps));
}
