import { ApplicationFailure, executeChild, patched, startChild, workflowInfo } from '@temporalio/workflow';
import type { ChildWorkflowHandle, ChildWorkflowOptions, WithWorkflowArgs } from '@temporalio/workflow';
import type { z } from 'zod';
import type { WorkflowDefinition } from './workflow-definition';
import { workflowTypeOf } from './workflow-definition';
import { checkPolicy } from '../policy/specs';
import { runActivity } from './run-activity';

/**
 * Start registered workflows as children, by definition (typed) or by name. Children run on the
 * parent's task queue and validate their own input, so starting by name is as safe as by definition.
 * A child runs on behalf of the parent's requester: it must pass the same policy check as a start
 * from Slack (`policy.check` on the worker), and it inherits the requester (`startedBy`), so its
 * own approvals still keep the requester from approving.
 */
type AnyWorkflow = (input: unknown) => Promise<unknown>;

function requester(): string | undefined {
  const startedBy = workflowInfo().memo?.startedBy;
  return typeof startedBy === 'string' ? startedBy : undefined;
}

async function ensureAllowed(name: string): Promise<void> {
  // Runs that started children before this check replay without it.
  if (!patched('pantheon-child-policy-check')) return;
  const slack = workflowInfo().memo?.slack as { channel?: unknown } | undefined;
  const channel = typeof slack?.channel === 'string' ? slack.channel : undefined;
  const decision = await runActivity(checkPolicy, {
    workflow: name,
    requester: requester() ?? 'unknown',
    ...(channel ? { channel } : {}),
  });
  if (!decision.allowed) {
    throw ApplicationFailure.nonRetryable(
      `Not allowed to start \`${name}\` for ${requester() ?? 'this run'}: ${decision.reason ?? 'the policy says no.'}`,
      'NotAllowed',
    );
  }
}

function childOptions(
  name: string,
  input: unknown,
  options: Partial<ChildWorkflowOptions>,
): WithWorkflowArgs<AnyWorkflow, ChildWorkflowOptions> {
  const startedBy = requester();
  return {
    workflowId: `${workflowInfo().workflowId}/${name}-${workflowInfo().historyLength}`,
    taskQueue: workflowInfo().taskQueue,
    args: [input],
    ...options,
    memo: { workflow: name, ...(startedBy ? { startedBy } : {}), ...options.memo },
  };
}

export async function startChildWorkflow(
  definitionOrName: WorkflowDefinition | string,
  input: unknown,
  options: Partial<ChildWorkflowOptions> = {},
): Promise<ChildWorkflowHandle<AnyWorkflow>> {
  const name = typeof definitionOrName === 'string' ? definitionOrName : definitionOrName.name;
  await ensureAllowed(name);
  return startChild<AnyWorkflow>(workflowTypeOf(name), childOptions(name, input, options));
}

export function executeChildWorkflow<I extends z.ZodType, O extends z.ZodType>(
  definition: WorkflowDefinition<I, O>,
  input: z.input<I>,
  options?: Partial<ChildWorkflowOptions>,
): Promise<z.output<O>>;
export function executeChildWorkflow(
  name: string,
  input: unknown,
  options?: Partial<ChildWorkflowOptions>,
): Promise<unknown>;
export async function executeChildWorkflow(
  definitionOrName: WorkflowDefinition | string,
  input: unknown,
  options: Partial<ChildWorkflowOptions> = {},
): Promise<unknown> {
  const name = typeof definitionOrName === 'string' ? definitionOrName : definitionOrName.name;
  await ensureAllowed(name);
  return executeChild<AnyWorkflow>(workflowTypeOf(name), childOptions(name, input, options));
}
