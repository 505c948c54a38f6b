import type { App } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';
import { pantheonCommand } from './pantheon';

/** Slash commands. */
export function register(app: App<BotContext>, deps: BotDeps): void {
  app.command('/pantheon', pantheonCommand(deps));
}
