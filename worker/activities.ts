import type { Config } from '../core/config';
import type { Database } from '../core/db/pool';
import type { Delivery } from '../core/delivery/contract';
import { ActivityRegistry } from '../core/registry/activity-registry';
import { activitySpecs } from '../tools/catalogue';
import { createInvoiceActivities } from '../tools/invoices/activities';
import { InvoicesTool } from '../tools/invoices/tool';
import { createSlackActivities } from '../tools/slack/activities';
import { slackSpecs } from '../tools/slack/specs';
import { SlackTool } from '../tools/slack/tool';
import { createLlmActivities } from '../tools/llm/activities';
import { createBudgetAskActivities, slackBudgetAsk } from '../tools/llm/budget-ask';
import {
  createActionActivities,
  createActionsHub,
  createAgentSettingsActivity,
} from '../tools/actions/activities';
import { createWorkflowRegistry } from '../workflows/catalogue';
import { createLlmRouter } from '../tools/llm/tool';
import type { Logger } from '../core/logger';
import { createLogger } from '../core/logger';
import { createApprovalWorkerActivities } from '../approvals/wiring';
import { createWorkerDelivery } from './delivery';

export interface ActivityDependencies {
  readonly config: Config;
  readonly db: Database;
  /** Where Slack writes go; default: the delivery queue (core/delivery) when Slack is configured. */
  readonly delivery?: Delivery;
  readonly logger?: Logger;
}

/**
 * Every activity implementation, closed over its clients. Fails at start-up when a spec that
 * workflows can call has no implementation, or a name is registered twice.
 */
export function createActivityRegistry({
  config,
  db,
  logger = createLogger(config, { process: 'worker' }),
  delivery,
}: ActivityDependencies): ActivityRegistry {
  const registry = new ActivityRegistry();
  const slackConfigured = Boolean(delivery ?? config.SLACK_BOT_TOKEN);
  if (!delivery) {
    const own = (delivery = createWorkerDelivery(config, logger));
    registry.onClose(() => own.close());
  }
  const approvals = createApprovalWorkerActivities({ config, db, delivery });
  registry.onClose(async () => approvals.close());
  const llm = createLlmRouter({ config, logger });
  registry.onClose(() => llm.close());
  registry.register(
    ...createLlmActivities({ router: llm.router }),
    ...createInvoiceActivities(new InvoicesTool({ db, recordLatencyMs: config.SAMPLE_RECORD_LATENCY_MS })),
    // Every run started from Slack calls these (core/workflow/slack-progress-interceptor.ts).
    ...createSlackActivities(
      new SlackTool({
        delivery,
        db,
        temporalUiUrl: config.TEMPORAL_UI_URL,
        namespace: config.TEMPORAL_NAMESPACE,
      }),
    ),
    // A paused run's budget question goes to its Slack thread (buttons → signals); without Slack it waits for a signal.
    ...createBudgetAskActivities({ ask: slackConfigured ? slackBudgetAsk({ delivery, db }) : undefined }),
    ...approvals.activities,
    ...createActionActivities(
      createActionsHub({ activities: registry, workflows: createWorkflowRegistry() }),
    ),
    createAgentSettingsActivity(config),
  );
  const missing = [...activitySpecs, ...slackSpecs]
    .filter((spec) => !registry.has(spec.name))
    .map((spec) => spec.name);
  if (missing.length > 0) throw new Error(`Activities without an implementation: ${missing.join(', ')}`);
  return registry;
}
