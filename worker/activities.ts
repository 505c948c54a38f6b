import type { Config } from '../config';
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
import { createBudgetAskActivities } from '../tools/llm/budget-ask';
import { slackBudgetAsk } from '../tools/slack/budget-question';
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
import { voteVerifyKeysFor } from '../approvals/votes/keys';
import { WebClient } from '@slack/web-api';
import { createPolicyActivities } from '../core/policy/activities';
import { loadPolicy } from '../core/policy/load';
import { slackLookups } from '../core/policy/slack-lookups';
import { policySpecs } from '../core/policy/specs';
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
  // The deployment policy, read once at start: who may run what, who approves each step.
  const policy = loadPolicy(config.PANTHEON_POLICY_FILE, { required: Boolean(config.PANTHEON_POLICY_FILE) });
  if (!config.PANTHEON_POLICY_FILE)
    logger.warn(
      'PANTHEON_POLICY_FILE is unset: no approver will be found, and no child workflow may start for a Slack user',
    );
  // Reads only (user groups, addresses); writes go through Delivery.
  const slack = config.SLACK_BOT_TOKEN
    ? new WebClient(config.SLACK_BOT_TOKEN, {
        ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      })
    : undefined;
  const approvals = createApprovalWorkerActivities({
    config,
    db,
    delivery,
    policy,
    ...(slack ? { slack } : {}),
  });
  registry.onClose(async () => approvals.close());
  const llm = createLlmRouter({ config, logger });
  registry.onClose(() => llm.close());
  registry.register(
    ...createLlmActivities({ router: llm.router }),
    ...createInvoiceActivities(new InvoicesTool({ db, recordLatencyMs: config.SAMPLE_RECORD_LATENCY_MS })),
    // Every run started from Slack calls these (tools/slack/workflow/progress-interceptor.ts).
    ...createSlackActivities(
      new SlackTool({
        delivery,
        db,
        temporalUiUrl: config.TEMPORAL_UI_URL,
        namespace: config.TEMPORAL_NAMESPACE,
      }),
    ),
    // A paused run's budget question goes to its Slack thread (buttons → signed decisions); without
    // Slack it waits for `pantheon budget`. Either way the run learns the keys decisions are checked with.
    ...createBudgetAskActivities({
      ask: slackConfigured ? slackBudgetAsk({ delivery, db }) : undefined,
      voteKeys: voteVerifyKeysFor(config),
    }),
    ...approvals.activities,
    ...createPolicyActivities({
      policy,
      lookups: slackLookups(slack, 60_000, (what, error) =>
        logger.warn({ err: error, what }, 'Slack read for a policy check failed; denying'),
      ),
    }),
    ...createActionActivities(
      createActionsHub({ activities: registry, workflows: createWorkflowRegistry() }),
    ),
    createAgentSettingsActivity(config),
  );
  const missing = [...activitySpecs, ...slackSpecs, ...policySpecs]
    .filter((spec) => !registry.has(spec.name))
    .map((spec) => spec.name);
  if (missing.length > 0) throw new Error(`Activities without an implementation: ${missing.join(', ')}`);
  return registry;
}
