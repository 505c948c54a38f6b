import { executeChild, startChild, workflowInfo } from '@temporalio/workflow';
import type { ChildWorkflowHandle, ChildWorkflowOptions, WithWorkflowArgs } from '@temporalio/workflow';
import type { z } from 'zod';
import type { WorkflowDefinition } from '../registry/workflow-definition';
import { workflowTypeOf } from '../registry/workflow-definition';

/**
 * Start registered workflows as children, by definition (typed) or by name. Children run on the
 * parent's task queue and validate their own input, so starting by name is as safe as by definition.
 */
type AnyWorkflow = (input: unknown) => Promise<unknown>;

function childOptions(
  name: string,
  input: unknown,
  options: Partial<ChildWorkflowOptions>,
): WithWorkflowArgs<AnyWorkflow, ChildWorkflowOptions> {
  return {
    workflowId: `${workflowInfo().workflowId}/${name}-${workflowInfo().historyLength}`,
    taskQueue: workflowInfo().taskQueue,
    args: [input],
    ...options,
  };
}

export function startChildWorkflow(
  definitionOrName: WorkflowDefinition | string,
  input: unknown,
  options: Partial<ChildWorkflowOptions> = {},
): Promise<ChildWorkflowHandle<AnyWorkflow>> {
  const name = typeof definitionOrName === 'string' ? definitionOrName : definitionOrName.name;
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
export function executeChildWorkflow(
  definitionOrName: WorkflowDefinition | string,
  input: unknown,
  options: Partial<ChildWorkflowOptions> = {},
): Promise<unknown> {
  const name = typeof definitionOrName === 'string' ? definitionOrName : definitionOrName.name;
  return executeChild<AnyWorkflow>(workflowTypeOf(name), childOptions(name, input, options));
}
