import { defineActivity } from '../../core/workflow/activity-spec';
import {
  agentSettingsInput,
  agentSettingsOutput,
  executeActionInput,
  executeActionOutput,
  internalLabel,
  listActionsInput,
  listActionsOutput,
} from './models';

/** Activity specs of the actions tool (workflow-safe; implementations in activities.ts). */

export const listActions = defineActivity({
  name: 'actions.list',
  description:
    'List the Actions Hub catalogue (activities, workflows, business logic) with JSON schemas, by labels and allow-list',
  tier: 'light',
  input: listActionsInput,
  output: listActionsOutput,
  labels: [internalLabel],
});

export const executeAction = defineActivity({
  name: 'actions.execute',
  description:
    'Run one Actions Hub action by name with JSON arguments (validated), within a labels/allow-list filter',
  tier: 'light',
  input: executeActionInput,
  output: executeActionOutput,
  labels: [internalLabel],
  // The action itself may change the world; callers (agents) gate side effects before calling.
  sideEffecting: true,
  startToCloseTimeout: '5 minutes',
  retry: {
    nonRetryableErrorTypes: ['InvalidInput', 'InvalidOutput', 'NotAllowed', 'ConfigInvalid', 'UnknownAction'],
  },
});

/** The policy file is read on the worker (PANTHEON_POLICY_FILE), so a run's input cannot pre-approve anything. */
export const agentSettings = defineActivity({
  name: 'actions.agentSettings',
  description: "An agent run's pre-approvals (deployment policy) and limits (worker settings)",
  tier: 'light',
  input: agentSettingsInput,
  output: agentSettingsOutput,
  labels: [internalLabel],
  startToCloseTimeout: '30 seconds',
});

export const actionSpecs = [listActions, executeAction, agentSettings];
