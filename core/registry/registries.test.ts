import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineActivity } from '../workflow/activity-spec';
import { ActivityRegistry, implementActivity } from './activity-registry';
import { ActionsHub } from './actions-hub';
import { LogicRegistry } from './logic-registry';
import { defineLogic } from '../workflow/logic';
import { Tool } from './tool';
import { defineWorkflow, workflowTypeOf } from '../workflow/workflow-definition';
import { WorkflowRegistry } from './workflow-registry';

const greet = defineActivity({
  name: 'demo.greet',
  description: 'Say hello',
  tier: 'light',
  input: z.object({ name: z.string().min(1) }),
  output: z.object({ greeting: z.string() }),
  labels: ['demo'],
  agentCallable: true,
});
const shout = defineActivity({
  name: 'demo.shout',
  description: 'Say it loud',
  tier: 'heavy',
  input: z.object({ text: z.string() }),
  output: z.object({ text: z.string() }),
  sideEffecting: true,
  agentCallable: true,
});

describe('ActivityRegistry', () => {
  const registry = new ActivityRegistry().register(
    implementActivity(greet, async ({ name }) => ({ greeting: `hello ${name}` })),
    implementActivity(
      shout,
      async ({ text }) => ({ text: text.toUpperCase(), extra: 1 }) as { text: string },
    ),
  );

  it('executes by name, validating input and output', async () => {
    expect(await registry.execute('demo.greet', { name: 'ada' })).toEqual({ greeting: 'hello ada' });
    await expect(registry.execute('demo.greet', { name: '' })).rejects.toMatchObject({
      code: 'InvalidInput',
      message: expect.stringMatching(/name/),
    });
  });

  it('rejects an output that breaks the schema', async () => {
    const bad = new ActivityRegistry().register(
      implementActivity(greet, async () => ({ greeting: 42 }) as unknown as { greeting: string }),
    );
    await expect(bad.execute('demo.greet', { name: 'x' })).rejects.toMatchObject({ code: 'InvalidOutput' });
  });

  it('names the known activities when one is unknown', async () => {
    await expect(registry.execute('demo.gret', {})).rejects.toThrow(
      /Unknown activity "demo.gret". Did you mean demo.greet.*Known: demo.greet, demo.shout/,
    );
  });

  it('lists by tier and label, and groups activities per tier for workers', () => {
    expect(registry.list({ tier: 'heavy' }).map((s) => s.name)).toEqual(['demo.shout']);
    expect(registry.list({ labels: ['demo'] }).map((s) => s.name)).toEqual(['demo.greet']);
    expect(Object.keys(registry.forTier('light'))).toEqual(['demo.greet']);
  });

  it('fails on a duplicate name, naming both locations', () => {
    const again = defineActivity({ ...greet, description: 'again' });
    expect(() =>
      new ActivityRegistry().register(
        implementActivity(greet, async () => ({ greeting: '' })),
        implementActivity(again, async () => ({ greeting: '' })),
      ),
    ).toThrow(
      /"demo.greet" is registered twice: first at .*registries.test.ts:\d+:\d+, again at .*registries.test.ts:\d+:\d+/,
    );
  });
});

const review = defineWorkflow({
  name: 'demo-review',
  description: 'Review something',
  labels: ['demo', 'finance'],
  input: z.object({ amount: z.number() }),
  output: z.object({ ok: z.boolean() }),
  signals: { decide: z.object({ approve: z.boolean() }) },
  agentCallable: true,
});

describe('WorkflowRegistry', () => {
  const registry = new WorkflowRegistry().register(
    review,
    defineWorkflow({
      name: 'other',
      description: 'x',
      input: z.object({}),
      output: z.object({}),
      labels: ['ops'],
    }),
  );

  it('derives the workflow type and signal definitions', () => {
    expect(review.workflowType).toBe('demoReview');
    expect(workflowTypeOf('a-b-c')).toBe('aBC');
    expect(review.signals.decide.name).toBe('decide');
  });

  it('lists by label and suggests close names', () => {
    expect(registry.list({ labels: ['finance'] }).map((w) => w.name)).toEqual(['demo-review']);
    expect(registry.list().map((w) => w.name)).toEqual(['demo-review', 'other']);
    expect(() => registry.get('demo-reveiw')).toThrow(/Did you mean "demo-review"/);
  });

  it('refuses duplicates and non-kebab names', () => {
    expect(() => new WorkflowRegistry().register(review, review)).toThrow(/registered twice/);
    expect(() =>
      defineWorkflow({ name: 'Bad_Name', description: '', input: z.object({}), output: z.object({}) }),
    ).toThrow(/kebab-case/);
  });
});

class EchoTool extends Tool {
  readonly name = 'echo';
  initialized = 0;
  failNext = false;
  protected override async initialize(): Promise<void> {
    this.initialized++;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('no connection');
    }
  }
  async say({ text }: { text: string }): Promise<{ text: string }> {
    return { text };
  }
}

describe('Tool', () => {
  it('initializes once for concurrent callers, and again after a failed initialization', async () => {
    const tool = new EchoTool();
    const say = tool.whenReady((input: { text: string }) => tool.say(input));
    expect(await Promise.all([say({ text: 'a' }), say({ text: 'b' })])).toEqual([
      { text: 'a' },
      { text: 'b' },
    ]);
    expect(tool.initialized).toBe(1);

    const flaky = new EchoTool();
    flaky.failNext = true;
    await expect(flaky.ready()).rejects.toThrow('no connection');
    await flaky.ready();
    expect(flaky.initialized).toBe(2);
  });
});

describe('ActionsHub', () => {
  // Not marked agentCallable: platform plumbing an agent must never see nor run.
  const plumbing = defineActivity({
    name: 'demo.plumbing',
    description: 'Rewrite anything',
    tier: 'light',
    input: z.object({}),
    output: z.object({}),
    labels: ['demo'],
  });
  const hiddenFlow = defineWorkflow({
    name: 'demo-hidden',
    description: 'Not for agents',
    labels: ['demo'],
    input: z.object({}),
    output: z.object({}),
  });
  const activities = new ActivityRegistry().register(
    implementActivity(greet, async ({ name }) => ({ greeting: `hello ${name}` })),
    implementActivity(shout, async ({ text }) => ({ text })),
    implementActivity(plumbing, async () => ({})),
  );
  const workflows = new WorkflowRegistry().register(review, hiddenFlow);
  const started: unknown[] = [];
  const logic = new LogicRegistry().register(
    ...[
      defineLogic({
        name: 'add',
        description: 'Add',
        input: z.object({ a: z.number(), b: z.number() }),
        output: z.number(),
        labels: ['math'],
        agentCallable: true,
        run: ({ a, b }) => a + b,
      }),
      defineLogic({
        name: 'secret',
        description: 'Unmarked',
        input: z.object({}),
        output: z.number(),
        run: () => 42,
      }),
    ].map((f) => ({
      fqn: `math/logic/basic.${f.name}`,
      file: '/math/logic/basic.ts',
      logic: f,
      location: f.location,
    })),
  );
  // The code executor's spec, as tools/actions hands it in (core does not import tools).
  const executor = defineActivity({
    name: 'code.execute',
    description: 'Run business logic',
    tier: 'heavy',
    input: z.object({ function: z.string(), input: z.unknown() }),
    output: z.object({ output: z.unknown() }),
    startToCloseTimeout: '2 minutes',
  });
  const hub = new ActionsHub({
    activities,
    workflows,
    runWorkflow: async (name, input) => (started.push([name, input]), { ok: true }),
    logic: { functions: logic, executor },
  });

  it('lists activities, workflows and business logic with JSON schemas', () => {
    const actions = hub.list();
    expect(actions.map((a) => [a.name, a.type, a.sideEffecting])).toEqual([
      ['demo-review', 'workflow', false],
      ['demo.greet', 'activity', false],
      ['demo.shout', 'activity', true],
      ['math/logic/basic.add', 'business_logic', false],
    ]);
    expect(actions.find((a) => a.name === 'math/logic/basic.add')).toMatchObject({
      parameters: { type: 'object', required: ['a', 'b'] },
      returns: { type: 'number' },
      labels: ['math'],
      executor: 'code.execute',
      runOptions: { tier: 'heavy', startToCloseTimeout: '2 minutes' },
    });
    expect(actions.find((a) => a.name === 'demo.greet')!.parameters).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1 } },
      required: ['name'],
    });
  });

  it('holds only what is marked agentCallable: the rest is neither listed nor run, even by name', async () => {
    const names = hub
      .list({ allow: ['demo.plumbing', 'demo-hidden', 'math/logic/basic.secret', 'math/logic/basic.add'] })
      .map((a) => a.name);
    expect(names).toEqual(['math/logic/basic.add']);
    for (const name of ['demo.plumbing', 'demo-hidden', 'math/logic/basic.secret']) {
      await expect(hub.execute(name, {}, { allow: [name] })).rejects.toMatchObject({ code: 'UnknownAction' });
    }
  });

  it('filters by labels and allow-list', () => {
    expect(hub.list({ labels: ['demo'] }).map((a) => a.name)).toEqual(['demo-review', 'demo.greet']);
    expect(hub.list({ labels: ['math'] }).map((a) => a.name)).toEqual(['math/logic/basic.add']);
  });

  it('executes activities and workflows, validating arguments, and refuses what the allow-list excludes', async () => {
    expect(await hub.execute('demo.greet', { name: 'bo' })).toEqual({ greeting: 'hello bo' });
    expect(await hub.execute('demo-review', { amount: 3 })).toEqual({ ok: true });
    expect(started).toEqual([['demo-review', { amount: 3 }]]);
    await expect(hub.execute('demo.greet', { name: 1 })).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(
      hub.execute('demo.greet', { name: 'x' }, { allow: ['math/logic/basic.add'] }),
    ).rejects.toMatchObject({ code: 'UnknownAction' });
  });

  it('runs business logic only through its executor, on the heavy tier', async () => {
    await expect(hub.execute('math/logic/basic.add', { a: 1, b: 2 })).rejects.toMatchObject({
      code: 'NotAllowed',
      message:
        'math/logic/basic.add is business logic: run it with the code.execute activity ({ function: "math/logic/basic.add", input }) on the heavy tier',
    });
  });
});

describe('activity failures', () => {
  it('leave as ApplicationFailures typed by their code, so retry policies can match them', async () => {
    const { ApplicationFailure } = await import('@temporalio/common');
    const registry = new ActivityRegistry().register(
      implementActivity(greet, async () => ({ greeting: 'x' })),
    );
    const error = await registry.forTier('light')['demo.greet']!({ name: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'InvalidInput', message: expect.stringMatching(/name/) });
    expect(greet.retry.nonRetryableErrorTypes).toContain('InvalidInput');
  });
});
