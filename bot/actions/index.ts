import type { App, BlockButtonAction } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';
import { openRunFormActionId } from './ids';
import { openRunForm } from './open-run-form';
import { budgetDecision } from './budget';
import { budgetDenyActionId, budgetRaiseActionId } from '../../core/workflow/budget-contract';

/** Button clicks. */
export function register(app: App<BotContext>, deps: BotDeps): void {
  app.action<BlockButtonAction>(openRunFormActionId, openRunForm(deps));
  app.action<BlockButtonAction>(budgetRaiseActionId, budgetDecision(deps, true));
  app.action<BlockButtonAction>(budgetDenyActionId, budgetDecision(deps, false));
}
