import { ApplicationFailure } from '@temporalio/common';
import { ActionsHub } from '../../core/registry/actions-hub';
import type { ActionDescription, ActionFilter } from '../../core/registry/actions-hub';
import type { LogicRegistry } from '../../core/registry/logic-registry';
import type { ActivityRegistry } from '../../core/registry/activity-registry';
import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import type { WorkflowRegistry } from '../../core/registry/workflow-registry';
import type { CoreConfig } from '../../core/config';
import type { AgentConfig } from './config';
import { ErrorCode, PantheonError } from '../../core/errors';
import { loadPolicy } from '../../core/policy/load';
import { internalLabel } from './models';
import type { Action, ActionFilterInput } from './models';
import { actionSpecs, agentSettings, executeAction, listActions } from './specs';
import { defineTool } from '../../core/registry/tool-module';
import { codeExecute } from '../code-executor/specs';
import type { ToolContext } from '../../core/registry/tool-module';

export interface ActionsHubSources {
  /** The worker's activities (the registry these activities are registered in is fine: it is read lazily). */
  readonly activities: ActivityRegistry;
  readonly workflows?: WorkflowRegistry;
  /** Business-logic functions (workflows/<area>/logic/), offered as `business_logic` actions run by code.execute. */
  readonly logic?: LogicRegistry;
}

/** The hub over a worker's activities, the workflow catalogue and the business-logic functions. */
export function createActionsHub({ activities, workflows, logic }: ActionsHubSources): ActionsHub {
  // No workflow runner: agents run workflow actions as child workflows, durably, themselves; and
  // business logic through code.execute on the heavy tier (the listing's executor and runOptions).
  return new ActionsHub({
    activities,
    ...(workflows ? { workflows } : {}),
    ...(logic ? { logic: { functions: logic, executor: codeExecute } } : {}),
  });
}

/**
 * `actions.list` and `actions.execute`: the Actions Hub for workflows (agents). Only actions marked
 * `agentCallable` are in the hub; those labelled `internal` are never offered nor run, whatever
 * the allow-list names.
 */
export function createActionActivities(hub: ActionsHub): ActivityImplementation[] {
  return [
    implementActivity(listActions, async (filter) => ({
      actions: visibleActions(hub, filter).map(toAction),
    })),
    implementActivity(executeAction, async ({ name, args, ...filter }) => {
      try {
        if (!visibleActions(hub, filter).some((a) => a.name === name)) {
          // The hub's own message, with close matches among what this caller may run.
          hub.describe(name, { ...hubFilter(filter), allow: visibleActions(hub, filter).map((a) => a.name) });
          throw new PantheonError(ErrorCode.UnknownAction, `Action "${name}" is not allowed here`);
        }
        return { result: await hub.execute(name, args, hubFilter(filter)) };
      } catch (error) {
        throw asFailure(error);
      }
    }),
  ];
}

function hubFilter(filter: ActionFilterInput): ActionFilter {
  return { ...(filter.labels && { labels: filter.labels }), ...(filter.allow && { allow: filter.allow }) };
}

function visibleActions(hub: ActionsHub, filter: ActionFilterInput): ActionDescription[] {
  return hub.list(hubFilter(filter)).filter((a) => !a.labels.includes(internalLabel));
}

export type AgentSettingsConfig = Pick<
  CoreConfig & AgentConfig,
  | 'PANTHEON_POLICY_FILE'
  | 'AGENT_MAX_TOKENS'
  | 'AGENT_MAX_COST_USD'
  | 'AGENT_MAX_TOOL_CALLS_PER_REPLY'
  | 'AGENT_CONTEXT_CHARS'
  | 'AGENT_CONTINUE_AS_NEW_EVENTS'
>;

/**
 * `actions.agentSettings`: the deployment's word on an agent run. The policy file is read on each
 * call (small; an edit applies to the next run without a restart); a malformed one fails the run
 * with the file and the bad field named.
 */
export function createAgentSettingsActivity(config: AgentSettingsConfig): ActivityImplementation {
  return implementActivity(agentSettings, async ({ workflow }) => {
    try {
      return {
        preApproved: [...loadPolicy(config.PANTHEON_POLICY_FILE).preApproved(workflow)],
        budget: { maxTokens: config.AGENT_MAX_TOKENS, maxCostUsd: config.AGENT_MAX_COST_USD },
        maxToolCallsPerReply: config.AGENT_MAX_TOOL_CALLS_PER_REPLY,
        contextChars: config.AGENT_CONTEXT_CHARS,
        continueAsNewEvents: config.AGENT_CONTINUE_AS_NEW_EVENTS,
      };
    } catch (error) {
      throw asFailure(error);
    }
  });
}

function toAction(action: ActionDescription): Action {
  return {
    name: action.name,
    description: action.description,
    type: action.type,
    labels: [...action.labels],
    sideEffecting: action.sideEffecting,
    parameters: withoutMeta(action.parameters),
    returns: withoutMeta(action.returns),
    ...(action.runOptions ? { runOptions: action.runOptions } : {}),
    ...(action.executor ? { executor: action.executor } : {}),
  };
}

function withoutMeta(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

/** Hub errors (bad arguments, unknown action) keep their code as the failure type: not retried, and readable by the agent. */
function asFailure(error: unknown): unknown {
  if (!(error instanceof PantheonError)) return error;
  return ApplicationFailure.create({ message: error.message, type: error.code });
}

/** The actions tool for the worker: the Actions Hub over every activity, workflow and business-logic function, and the agent's settings. */
export const tool = defineTool<CoreConfig & AgentConfig>({
  name: 'actions',
  specs: actionSpecs,
  activities: ({ activities, workflows, logic, config }: ToolContext<CoreConfig & AgentConfig>) => [
    ...createActionActivities(createActionsHub({ activities, workflows, logic })),
    createAgentSettingsActivity(config),
  ],
});
