import { defineActivity } from '../../core/workflow/activity-spec';
import {
  insertInput,
  insertOutput,
  putFileInput,
  putFileOutput,
  queryInput,
  queryOutput,
  updateInput,
  updateOutput,
} from './models';

/**
 * Activity specs of the internal data repository (workflow-safe; implementations in
 * activities.ts). Each works on the schema of the workflow that calls it, and nothing else.
 */
export const repositoryInsert = defineActivity({
  name: 'repository.insert',
  description:
    'Insert rows into a table of this workflow’s own schema, all or none (idempotent with onConflict)',
  tier: 'light',
  input: insertInput,
  output: insertOutput,
  labels: ['repository'],
  sideEffecting: true,
});

export const repositoryUpdate = defineActivity({
  name: 'repository.update',
  description: 'Update the rows of a table of this workflow’s own schema that match every condition',
  tier: 'light',
  input: updateInput,
  output: updateOutput,
  labels: ['repository'],
  sideEffecting: true,
});

export const repositoryQuery = defineActivity({
  name: 'repository.query',
  description: 'Read rows of a table of this workflow’s own schema, filtered, sorted and capped',
  tier: 'light',
  input: queryInput,
  output: queryOutput,
  labels: ['repository'],
});

/** Files a workflow produces (a CSV export, a report) go to the blob store; the run keeps the reference. */
export const repositoryPutFile = defineActivity({
  name: 'repository.putFile',
  description: 'Store a text file (e.g. a CSV export) in the blob store and return its reference',
  tier: 'light',
  input: putFileInput,
  output: putFileOutput,
  labels: ['repository'],
});

export const repositorySpecs = [repositoryInsert, repositoryUpdate, repositoryQuery, repositoryPutFile];
