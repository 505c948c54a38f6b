import type { Config } from '../config';
import type { Database } from '../core/db/pool';
import type { Delivery } from '../core/delivery/contract';
import { createBlobStore } from '../core/blobs/store';
import { ActivityRegistry } from '../core/registry/activity-registry';
import type { ToolContext } from '../core/registry/tool-module';
import { createWorkflowRegistry } from '../config/workflows';
import { createLogicRegistry } from '../config/logic';
import type { Logger } from '../core/logger';
import { createLogger } from '../core/logger';
import { createApprovalWorkerActivities } from '../approvals/wiring';
import { approvalSpecs } from '../approvals/specs';
import { WebClient } from '@slack/web-api';
import { createPolicyActivities } from '../core/policy/activities';
import { loadPolicy } from '../core/policy/load';
import { slackLookups } from '../core/policy/slack-lookups';
import { policySpecs } from '../core/policy/specs';
import { createWorkerDelivery } from './delivery';
import { loadToolModules } from './tool-modules';

export interface ActivityDependencies {
  readonly config: Config;
  readonly db: Database;
  /** Where Slack writes go; default: the delivery queue (core/delivery) when Slack is configured. */
  readonly delivery?: Delivery;
  readonly logger?: Logger;
}

/**
 * Every activity implementation, closed over its clients: each tool's (found by folder), the
 * approvals' and the policy's. Fails at start-up when a spec that workflows can call has no
 * implementation, or a name is registered twice.
 */
export async function createActivityRegistry({
  config,
  db,
  logger = createLogger(config, { process: 'worker' }),
  delivery,
}: ActivityDependencies): Promise<ActivityRegistry> {
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
  const workflows = createWorkflowRegistry();
  const logic = await createLogicRegistry();
  const context: ToolContext<Config> = {
    config,
    db,
    delivery,
    slackConfigured,
    ...(slack ? { slack } : {}),
    policy,
    logger,
    blobs: createBlobStore(config),
    activities: registry,
    workflows,
    logic,
    onClose: (close) => void registry.onClose(close),
  };
  const tools = await loadToolModules();
  registry.register(
    ...tools.flatMap((tool) => tool.activities(context)),
    // Platform features the tools build on: the human loop and the deployment policy.
    ...approvals.activities,
    ...createPolicyActivities({
      policy,
      lookups: slackLookups(slack, 60_000, (what, error) =>
        logger.warn({ err: error, what }, 'Slack read for a policy check failed; denying'),
      ),
    }),
  );
  const missing = [...tools.flatMap((tool) => tool.specs), ...approvalSpecs, ...policySpecs]
    .filter((spec) => !registry.has(spec.name))
    .map((spec) => spec.name);
  if (missing.length > 0) throw new Error(`Activities without an implementation: ${missing.join(', ')}`);
  return registry;
}
