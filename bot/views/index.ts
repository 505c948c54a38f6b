import type { App } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';
import { runModalCallbackId } from '../modal/metadata';
import { runSubmission } from './run-submission';

/** Modal submissions. */
export function register(app: App<BotContext>, deps: BotDeps): void {
  app.view(runModalCallbackId, runSubmission(deps));
}
