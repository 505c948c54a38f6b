import { workflowInfo } from '@temporalio/workflow';
import type { Tier } from '../registry/tiers';

/**
 * Workflows cannot read config, so they derive the tier queues from their own task queue:
 * a workflow on `pantheon-light` runs heavy activities on `pantheon-heavy`. Tests use their own
 * prefix this way without any extra input.
 */
export function taskQueueForTier(tier: Tier): string {
  const own = workflowInfo().taskQueue;
  const match = /^(.*)-(light|llm|heavy)$/.exec(own);
  if (!match) {
    throw new Error(`Workflow task queue "${own}" does not end in -light, -llm or -heavy; start runs through Pantheon's client`);
  }
  return `${match[1]}-${tier}`;
}
