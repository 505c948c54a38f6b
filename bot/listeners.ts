import type { App } from '@slack/bolt';
import * as actions from './actions';
import * as commands from './commands';
import type { BotContext, BotDeps } from './deps';
import * as events from './events';
import * as middleware from './middleware';
import * as views from './views';

/** Middleware first, then one `register` per listener kind. */
export function registerListeners(app: App<BotContext>, deps: BotDeps): void {
  middleware.register(app, deps);
  commands.register(app, deps);
  actions.register(app, deps);
  events.register(app, deps);
  views.register(app, deps);
}
