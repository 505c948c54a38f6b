import { ApplicationFailure } from '@temporalio/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { approvalSpecs } from '../../approvals/specs';
import { ActivityRegistry, implementActivity } from '../../core/registry/activity-registry';
import type { ActivitySpec } from '../../core/workflow/activity-spec';
import { defineActivity } from '../../core/workflow/activity-spec';
import { createLogicRegistry } from '../../config/logic';
import { createWorkflowRegistry } from '../../config/workflows';
import { LogicRegistry } from '../../core/registry/logic-registry';
import { defineLogic } from '../../core/workflow/logic';
import { loadToolModules } from '../../worker/tool-modules';
import { slackSpecs } from '../slack/specs';
import { createActionActivities, createActionsHub, createAgentSettingsActivity } from './activities';
import { agentSettings, executeAction, listActions } from './specs';

const echo = defineActivity({
  name: 'demo.echo',
  description: 'echo',
  tier: 'light',
  input: z.object({ text: z.string() }),
  output: z.object({ text: z.string() }),
  labels: ['demo'],
  agentCallable: true,
});

function setup() {
  const registry = new ActivityRegistry().register(implementActivity(echo, async ({ text }) => ({ text })));
  const shout = defineLogic({
    name: 'shout',
    description: 'shout',
    input: z.object({ text: z.string() }),
    output: z.string(),
    labels: ['demo'],
    agentCallable: true,
    run: ({ text }) => text.toUpperCase(),
  });
  const logic = new LogicRegistry().register({
    fqn: 'demo/logic/text.shout',
    file: '/demo/logic/text.ts',
    logic: shout,
    location: shout.location,
  });
  const hub = createActionsHub({ activities: registry, logic });
  registry.register(...createActionActivities(hub));
  return registry;
}

type Listed = { actions: { name: string; parameters: Record<string, unknown> }[] };

describe('actions.list and actions.execute', () => {
  it('lists the hub without its own plumbing, even when the allow-list names it', async () => {
    const registry = setup();
    const all = (await registry.execute(listActions.name, {})) as Listed;
    expect(all.actions.map((a) => a.name)).toEqual(['demo.echo', 'demo/logic/text.shout']);
    expect(all.actions[0]!.parameters).not.toHaveProperty('$schema');
    expect(all.actions[1]).toMatchObject({
      type: 'business_logic',
      executor: 'code.execute',
      runOptions: { tier: 'heavy' },
    });
    const allowed = (await registry.execute(listActions.name, {
      allow: ['actions.list', 'demo/logic/text.shout'],
    })) as Listed;
    expect(allowed.actions.map((a) => a.name)).toEqual(['demo/logic/text.shout']);
  });

  it('runs activities by name, refusing what the filter hides with a typed failure', async () => {
    const registry = setup();
    // Business logic runs on the heavy tier (code.execute), never in the process listing it.
    expect(
      await registry
        .execute(executeAction.name, { name: 'demo/logic/text.shout', args: { text: 'hi' } })
        .catch((e: unknown) => e),
    ).toMatchObject({
      type: 'NotAllowed',
      message: expect.stringMatching(/run it with the code\.execute activity/),
    });
    expect(
      await registry.execute(executeAction.name, {
        name: 'demo.echo',
        args: { text: 'hi' },
        labels: ['demo'],
      }),
    ).toEqual({ result: { text: 'hi' } });
    const hidden = await registry
      .execute(executeAction.name, {
        name: 'demo.echo',
        args: { text: 'x' },
        allow: ['demo/logic/text.shout'],
      })
      .catch((e: unknown) => e);
    expect(hidden).toBeInstanceOf(ApplicationFailure);
    expect(hidden).toMatchObject({ type: 'UnknownAction' });
    const bad = await registry
      .execute(executeAction.name, { name: 'demo.echo', args: { text: 1 } })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ type: 'InvalidInput', message: expect.stringMatching(/text/) });
  });
});

// Every tool's specs, found by folder as the worker finds them.
const toolSpecs = (await loadToolModules()).flatMap((tool) => tool.specs);
const logic = await createLogicRegistry();

describe('what agents see of the real catalogue', () => {
  // Every activity a worker registers (stand-in bodies that record being called) and every workflow.
  const called: string[] = [];
  const specs: ActivitySpec[] = [
    ...toolSpecs.filter((s) => !s.name.startsWith('actions.')),
    ...approvalSpecs,
  ];
  const registry = new ActivityRegistry().register(
    ...specs.map((spec) => implementActivity(spec, async () => (called.push(spec.name), {}) as never)),
  );
  registry.register(
    ...createActionActivities(
      createActionsHub({
        activities: registry,
        workflows: createWorkflowRegistry(),
        logic,
      }),
    ),
  );
  const plumbing = [
    ...approvalSpecs.map((s) => s.name),
    ...slackSpecs.map((s) => s.name),
    'llm.generate',
    'llm.embed',
    'budget.askRaise',
    'actions.list',
    'actions.execute',
    'actions.agentSettings',
    'code.execute', // agents run business logic as its own actions, not the executor by name
    'agent',
  ];

  it('offers only what is marked agentCallable: the invoice tools, the sample workflows and the late fee', async () => {
    const everything = (await registry.execute(listActions.name, {})) as Listed;
    expect(everything.actions.map((a) => a.name)).toEqual([
      'column-mapping',
      'contract-extraction',
      'invoice-review',
      'invoices.assessRisk',
      'invoices.lookupVendor',
      'invoices.record',
      'invoices/logic/late-fee.computeLateFee',
    ]);
    const named = (await registry.execute(listActions.name, { allow: plumbing })) as Listed;
    expect(named.actions).toEqual([]);
  });

  it('refuses approvals.*, slack.*, llm.* and other plumbing by name, even when the allow-list names it', async () => {
    for (const name of plumbing) {
      const refused = await registry
        .execute(executeAction.name, { name, args: {}, allow: [name] })
        .catch((e: unknown) => e);
      expect(refused, name).toMatchObject({ type: 'UnknownAction' });
    }
    expect(called).toEqual([]);
  });
});

describe('actions.agentSettings', () => {
  const config = {
    AGENT_MAX_TOKENS: 1000,
    AGENT_MAX_COST_USD: 0.5,
    AGENT_MAX_TOOL_CALLS_PER_REPLY: 3,
    AGENT_CONTEXT_CHARS: 9000,
    AGENT_CONTINUE_AS_NEW_EVENTS: 500,
  };
  const settingsWith = (path: string | undefined) =>
    new ActivityRegistry()
      .register(createAgentSettingsActivity({ ...config, PANTHEON_POLICY_FILE: path }))
      .execute(agentSettings.name, { workflow: 'agent' });

  it('reads pre-approvals from the policy file and limits from the settings', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'agent-policy-')), 'policy.yaml');
    writeFileSync(path, 'workflows:\n  agent:\n    preApproved: [invoices.record]\n');
    expect(await settingsWith(path)).toEqual({
      preApproved: ['invoices.record'],
      budget: { maxTokens: 1000, maxCostUsd: 0.5 },
      maxToolCallsPerReply: 3,
      contextChars: 9000,
      continueAsNewEvents: 500,
    });
    expect(await settingsWith(undefined)).toMatchObject({ preApproved: [] });
  });

  it('fails with the file and the bad field named when the policy is malformed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'agent-policy-')), 'bad.yaml');
    writeFileSync(path, 'workflows:\n  agent:\n    preApproved: oops\n');
    await expect(settingsWith(path)).rejects.toMatchObject({
      type: 'ConfigInvalid',
      message: expect.stringMatching(/bad\.yaml: workflows\.agent\.preApproved/),
    });
  });
});
