import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../../core/registry/actions-hub';
import { ActivityRegistry, implementActivity } from '../../core/registry/activity-registry';
import { defineActivity } from '../../core/registry/activity-spec';
import { createActionActivities, createActionsHub } from './activities';
import { executeAction, listActions } from './specs';

const echo = defineActivity({ name: 'demo.echo', description: 'echo', tier: 'light', input: z.object({ text: z.string() }), output: z.object({ text: z.string() }), labels: ['demo'] });

function setup() {
  const registry = new ActivityRegistry().register(implementActivity(echo, async ({ text }) => ({ text })));
  const hub = createActionsHub({
    activities: registry,
    functions: [defineAction({ name: 'demo.shout', description: 'shout', input: z.object({ text: z.string() }), output: z.string(), labels: ['demo'], run: async ({ text }) => text.toUpperCase() })],
  });
  registry.register(...createActionActivities(hub));
  return registry;
}

describe('actions.list and actions.execute', () => {
  it('lists the hub without its own plumbing unless allowed by name', async () => {
    const registry = setup();
    const all = (await registry.execute(listActions.name, {})) as { actions: { name: string; parameters: Record<string, unknown> }[] };
    expect(all.actions.map((a) => a.name)).toEqual(['demo.echo', 'demo.shout']);
    expect(all.actions[0]!.parameters).not.toHaveProperty('$schema');
    const allowed = (await registry.execute(listActions.name, { allow: ['actions.list', 'demo.shout'] })) as { actions: { name: string }[] };
    expect(allowed.actions.map((a) => a.name)).toEqual(['actions.list', 'demo.shout']);
  });

  it('runs activities and functions by name, refusing what the filter hides with a typed failure', async () => {
    const registry = setup();
    expect(await registry.execute(executeAction.name, { name: 'demo.shout', args: { text: 'hi' } })).toEqual({ result: 'HI' });
    expect(await registry.execute(executeAction.name, { name: 'demo.echo', args: { text: 'hi' }, labels: ['demo'] })).toEqual({ result: { text: 'hi' } });
    const hidden = await registry.execute(executeAction.name, { name: 'demo.echo', args: { text: 'x' }, allow: ['demo.shout'] }).catch((e: unknown) => e);
    expect(hidden).toBeInstanceOf(ApplicationFailure);
    expect(hidden).toMatchObject({ type: 'UnknownAction' });
    const bad = await registry.execute(executeAction.name, { name: 'demo.shout', args: { text: 1 } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ type: 'InvalidInput', message: expect.stringMatching(/text/) });
  });
});
