import type { App } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';
import { audit } from './audit';
import { callerMiddleware } from './caller';
import { dedupeEvents } from './dedupe-events';

/** Global middleware, in order: who is asking, a log line, and dropping redelivered events. */
export function register(app: App<BotContext>, deps: BotDeps): void {
  app.use(callerMiddleware(deps));
  app.use(audit(deps));
  app.use(dedupeEvents(deps));
}
