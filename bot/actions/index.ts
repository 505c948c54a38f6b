import type { App, BlockButtonAction } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';
import { openRunFormActionId } from './ids';
import { openRunForm } from './open-run-form';

/** Button clicks. */
export function register(app: App<BotContext>, deps: BotDeps): void {
  app.action<BlockButtonAction>(openRunFormActionId, openRunForm(deps));
}
