import type { Config } from '../core/config';
import type { Database } from '../core/db/pool';
import type { Delivery } from '../core/delivery/contract';
import { ActivityRegistry } from '../core/registry/activity-registry';
import { activitySpecs } from '../tools/catalogue';
import { createInvoiceActivities } from '../tools/invoices/activities';
import { InvoicesTool } from '../tools/invoices/tool';
import { createSlackActivities } from '../tools/slack/activities';
import { DirectSlackDelivery } from '../tools/slack/direct-delivery';
import { slackSpecs } from '../tools/slack/specs';
import { SlackTool } from '../tools/slack/tool';
import { createLlmActivities } from '../tools/llm/activities';
import { createBudgetAskActivities, slackBudgetAsk } from '../tools/llm/budget-ask';
import { createActionActivities, createActionsHub } from '../tools/actions/activities';
import { createWorkflowRegistry } from '../workflows/catalogue';
import { createLlmRouter } from '../tools/llm/tool';
import type { Logger } from '../core/logger';

export interface ActivityDependencies {
  readonly config: Config;
  readonly db: Database;
  /** Where Slack writes go; default: a direct stand-in when SLACK_BOT_TOKEN is set, else none. */
  readonly delivery?: Delivery;
  readonly logger?: Logger;
}

/** Until the delivery queue lands, Slack writes go straight to the Web API (tools/slack/direct-delivery.ts). */
export function defaultDelivery(config: Config): Delivery | undefined {
  if (!config.SLACK_BOT_TOKEN) return undefined;
  return new DirectSlackDelivery({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL });
}

/**
 * Every activity implementation, closed over its clients. Fails at start-up when a spec that
 * workflows can call has no implementation, or a name is registered twice.
 */
export function createActivityRegistry({ config, db, logger, delivery = defaultDelivery(config) }: ActivityDependencies): ActivityRegistry {
  const registry = new ActivityRegistry();
  const llm = createLlmRouter({ config, logger });
  registry.onClose(() => llm.close());
  registry.register(
    ...createLlmActivities({ router: llm.router }),
    ...createInvoiceActivities(new InvoicesTool({ db, recordLatencyMs: config.SAMPLE_RECORD_LATENCY_MS })),
    // Every run started from Slack calls these (core/workflow/slack-progress-interceptor.ts).
    ...createSlackActivities(
      new SlackTool({ delivery, db, temporalUiUrl: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE }),
    ),
    // A paused run's budget question goes to its Slack thread (buttons → signals); without Slack it waits for a signal.
    ...createBudgetAskActivities({ ask: delivery && slackBudgetAsk({ delivery, db }) }),
    ...createActionActivities(createActionsHub({ activities: registry, workflows: createWorkflowRegistry() })),
  );
  const missing = [...activitySpecs, ...slackSpecs].filter((spec) => !registry.has(spec.name)).map((spec) => spec.name);
  if (missing.length > 0) throw new Error(`Activities without an implementation: ${missing.join(', ')}`);
  return registry;
}
