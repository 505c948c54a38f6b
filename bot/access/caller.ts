import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import type { AccessDecision, AccessPolicy, Requester } from './policy';

/**
 * The person behind a Slack request and where they are, put on Bolt's context by the caller
 * middleware so every listener asks the same policy the same way.
 */
export class Caller {
  readonly channel: string | undefined;

  constructor(
    private readonly who: Requester,
    private readonly policy: AccessPolicy,
  ) {
    this.channel = who.channel;
  }

  get user(): string {
    return this.who.user;
  }

  /** Whether this person may use Pantheon at all (their workspace, not a guest). */
  admit(): Promise<AccessDecision> {
    return this.policy.admit(this.who);
  }

  check(definition: WorkflowDefinition): Promise<AccessDecision> {
    return this.policy.check(definition, this.who);
  }

  /** Has the `operators` role (and may use Pantheon at all). */
  async isOperator(): Promise<boolean> {
    return (await this.admit()).allowed && (await this.policy.isOperator(this.who.user));
  }

  /** The definitions this person may run here, in order. */
  async runnable(definitions: readonly WorkflowDefinition[]): Promise<WorkflowDefinition[]> {
    const decisions = await Promise.all(definitions.map((d) => this.check(d)));
    return definitions.filter((_, i) => decisions[i]!.allowed);
  }
}
