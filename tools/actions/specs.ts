import { defineActivity } from '../../core/registry/activity-spec';
import { executeActionInput, executeActionOutput, internalLabel, listActionsInput, listActionsOutput } from './models';

/** Activity specs of the actions tool (workflow-safe; implementations in activities.ts). */

export const listActions = defineActivity({
  name: 'actions.list',
  description: 'List the Actions Hub catalogue (activities, workflows, functions) with JSON schemas, by labels and allow-list',
  tier: 'light',
  input: listActionsInput,
  output: listActionsOutput,
  labels: [internalLabel],
});

export const executeAction = defineActivity({
  name: 'actions.execute',
  description: 'Run one Actions Hub action by name with JSON arguments (validated), within a labels/allow-list filter',
  tier: 'light',
  input: executeActionInput,
  output: executeActionOutput,
  labels: [internalLabel],
  // The action itself may change the world; callers (agents) gate side effects before calling.
  sideEffecting: true,
  startToCloseTimeout: '5 minutes',
  retry: { nonRetryableErrorTypes: ['InvalidInput', 'InvalidOutput', 'NotAllowed', 'ConfigInvalid', 'UnknownAction'] },
});

export const actionSpecs = [listActions, executeAction];
