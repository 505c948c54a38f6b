import { z } from 'zod';
import { defineActivity } from '../workflow/activity-spec';

/**
 * `policy.check`: may this requester run this workflow? Workflows call it before starting a child
 * on someone's behalf (core/workflow/children.ts), so a child passes the same policy as a Slack
 * start. The policy is the worker's own (PANTHEON_POLICY_FILE), never the run's input. Workflow-safe.
 */
export const checkPolicy = defineActivity({
  name: 'policy.check',
  description: 'Whether the requester of a run may start a workflow, by the deployment policy',
  tier: 'light',
  input: z.object({
    workflow: z.string().min(1),
    /** `slack:U123`, `cli:alice`, … (the run's `startedBy` memo). */
    requester: z.string().min(1),
    channel: z.string().optional(),
  }),
  output: z.object({ allowed: z.boolean(), reason: z.string().optional() }),
  labels: ['policy'],
});

export const policySpecs = [checkPolicy];
