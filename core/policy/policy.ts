import type { People, PolicyDocument, WorkflowPolicy } from './schema';
import { policySchema } from './schema';
import type { PolicyInput } from './schema';

const nobody: People = { slackUsers: [], slackGroups: [], emails: [], roles: [], everyone: false };

/**
 * Read-only answers over one parsed policy document. Group membership is not resolved here (that
 * needs Slack): callers get the groups and resolve them. Workflow-safe (no I/O).
 */
export class Policy {
  constructor(readonly document: PolicyDocument) {}

  static from(input: PolicyInput): Policy {
    return new Policy(policySchema.parse(input));
  }

  static empty(): Policy {
    return Policy.from({});
  }

  workflow(name: string): WorkflowPolicy | undefined {
    return this.document.workflows[name];
  }

  /** Who may start `workflow`, roles expanded; nobody when the policy does not say. */
  runners(workflow: string): People {
    return this.expand(this.workflow(workflow)?.run ?? nobody);
  }

  /** The approvers of one step (or agent action), falling back to `*`; roles expanded. */
  approvers(workflow: string, step: string): People | undefined {
    const approvers = this.workflow(workflow)?.approvers;
    const people = approvers?.[step] ?? approvers?.['*'];
    return people ? this.expand(people) : undefined;
  }

  /** Whether the requester may approve this step of their own run (an explicit exception). */
  allowsSelfApproval(workflow: string, step: string): boolean {
    const steps = this.workflow(workflow)?.selfApproval ?? [];
    return steps.includes(step) || steps.includes('*');
  }

  approversFromInput(workflow: string): boolean {
    return this.workflow(workflow)?.approversFromInput ?? false;
  }

  preApproved(workflow: string): readonly string[] {
    return this.workflow(workflow)?.preApproved ?? [];
  }

  /** The members of a role (e.g. `operators`). */
  role(name: string): People {
    const role = this.document.roles[name];
    return role ? { ...role, roles: [] } : nobody;
  }

  /** A set of people with its roles replaced by their members. */
  expand(people: People): People {
    const roles = people.roles.map((name) => this.role(name));
    const union = (pick: (p: People) => readonly string[]) => [
      ...new Set([pick(people), ...roles.map(pick)].flat()),
    ];
    return {
      slackUsers: union((p) => p.slackUsers),
      slackGroups: union((p) => p.slackGroups),
      emails: union((p) => p.emails),
      roles: [],
      everyone: people.everyone || roles.some((r) => r.everyone),
    };
  }
}

/**
 * The registered name of a workflow type (`expenseApproval` → `expense-approval`): the inverse of
 * workflowTypeOf for kebab-case names, so activities can find their run's policy from Temporal's
 * own record of the workflow type rather than from anything the run passes them.
 */
export function workflowNameOf(workflowType: string): string {
  return workflowType.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
