import { workflowInfo } from '@temporalio/workflow';
import type { Tier } from './tiers';

/**
 * Workflows cannot read config, so they derive the tier queues from their own task queue:
 * a workflow on `pantheon-light` runs heavy activities on `pantheon-heavy`. Tests use their own
 * prefix this way without any extra input.
 */
export function taskQueueForTier(tier: Tier): string {
  const info = workflowInfo();
  const match = /^(.*)-(light|llm|heavy)$/.exec(info.taskQueue);
  if (match) return `${match[1]}-${tier}`;
  // A replay worker polls a queue of its own; replay never schedules anything, so any name will do.
  if (info.unsafe.isReplaying) return info.taskQueue;
  throw new Error(
    `Workflow task queue "${info.taskQueue}" does not end in -light, -llm or -heavy; start runs through Pantheon's client`,
  );
}
