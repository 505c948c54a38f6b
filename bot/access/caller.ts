import type { WorkflowDefinition } from '../../core/registry/workflow-definition';
import type { AccessDecision, AccessPolicy } from './policy';

/**
 * The person behind a Slack request and where they are, put on Bolt's context by the caller
 * middleware so every listener asks the same policy the same way.
 */
export class Caller {
  constructor(
    readonly user: string,
    readonly channel: string | undefined,
    private readonly policy: AccessPolicy,
  ) {}

  check(definition: WorkflowDefinition): Promise<AccessDecision> {
    return this.policy.check(definition, {
      user: this.user,
      ...(this.channel ? { channel: this.channel } : {}),
    });
  }

  /** The definitions this person may run here, in order. */
  async runnable(definitions: readonly WorkflowDefinition[]): Promise<WorkflowDefinition[]> {
    const decisions = await Promise.all(definitions.map((d) => this.check(d)));
    return definitions.filter((_, i) => decisions[i]!.allowed);
  }
}
