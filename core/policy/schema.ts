import { z } from 'zod';

/**
 * The deployment's policy file (`PANTHEON_POLICY_FILE`, YAML): who may run which workflow, who
 * approves its steps, and which exceptions are allowed. It lives with the deployment, never in a
 * run's input, so nobody who starts a run can choose their own approvers. Workflow-safe (zod only).
 */
const slackUser = z.string().regex(/^[UW][A-Z0-9_]+$/, 'a Slack user id such as U012AB3CD');
const slackGroup = z.string().regex(/^S[A-Z0-9_]+$/, 'a Slack user group id such as S012AB3CD');
const slackChannel = z.string().regex(/^[CGD][A-Z0-9_]+$/, 'a Slack channel id such as C012AB3CD');
const roleName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a role name in kebab-case');

/** A set of people: listed Slack users, members of Slack user groups, addresses, and roles. */
export const peopleSchema = z.strictObject({
  slackUsers: z.array(slackUser).default([]),
  slackGroups: z.array(slackGroup).default([]),
  emails: z.array(z.email().transform((e) => e.toLowerCase())).default([]),
  roles: z.array(roleName).default([]),
  /** Everyone in the allowed Slack teams (never guests, never other organisations). */
  everyone: z.boolean().default(false),
});
export type People = z.output<typeof peopleSchema>;

export const workflowPolicySchema = z.strictObject({
  /** Who may start it; absent means nobody (deny by default). */
  run: peopleSchema.optional(),
  /** Where it may be started (absent: any channel the bot is in). */
  channels: z.array(slackChannel).optional(),
  /** Approvers by step (a workflow's `step` name, or an agent's action name); `*` for the rest. */
  approvers: z.record(z.string().min(1), peopleSchema).default({}),
  /** Take approvers from the run's input as well (off: input approvers are ignored). */
  approversFromInput: z.boolean().default(false),
  /** Steps (or `*`) whose requester may approve their own run: an explicit, audited exception. */
  selfApproval: z.array(z.string().min(1)).default([]),
  /** Agent actions that need no approval while the run is untainted. */
  preApproved: z.array(z.string().min(1)).default([]),
});
export type WorkflowPolicy = z.output<typeof workflowPolicySchema>;

export const policySchema = z.strictObject({
  slack: z
    .strictObject({
      /** Slack workspaces (team ids) whose members may use Pantheon; empty: only the bot's own. */
      teams: z.array(z.string().regex(/^T[A-Z0-9_]+$/)).default([]),
      /** Enterprise Grid organisations whose members may use Pantheon. */
      enterprises: z.array(z.string().regex(/^E[A-Z0-9_]+$/)).default([]),
      /** Whether guest accounts may run workflows at all (default no). */
      allowGuests: z.boolean().default(false),
    })
    .default({ teams: [], enterprises: [], allowGuests: false }),
  /** Named sets of people, e.g. `operators` (may cancel and raise budgets of any run). */
  roles: z.record(roleName, peopleSchema.omit({ roles: true })).default({}),
  workflows: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), workflowPolicySchema).default({}),
});
export type PolicyDocument = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
