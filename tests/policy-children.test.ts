import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeServer } from '../tools/llm/testing/fake-server';
import type { FakeServer } from '../tools/llm/testing/fake-server';
import { openAiChat } from '../tools/llm/testing/wire';
import { testPolicy } from './support/policy';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

/**
 * A child workflow started on a requester's behalf (the agent's workflow actions) passes the same
 * policy check as a start from Slack: the agent is refused, with the reason, for a requester the
 * policy does not let run the child; the child is never started.
 */
let openai: FakeServer;
let stack: Stack;
const markers = new Set<string>();

beforeAll(async () => {
  openai = await startFakeServer((request) => {
    const body = request.body as {
      messages: { role: string; content: string | null }[];
      response_format?: { json_schema?: { name?: string } };
    };
    if (body.response_format?.json_schema?.name === 'column_mapping') {
      return openAiChat({
        content: JSON.stringify({
          mappings: [{ target: 'vendor', source: 'Supplier', transform: 'trim', confidence: 1, note: null }],
        }),
      });
    }
    const tools = body.messages.filter((m) => m.role === 'tool');
    if (tools.length > 0) return openAiChat({ content: `Result: ${tools[0]!.content}` });
    const args = { source: { columns: ['Supplier'], rows: [[' Acme ']] }, target: { columns: ['vendor'] } };
    return openAiChat({
      content: null,
      toolCalls: [
        { id: `call_${randomUUID().slice(0, 6)}`, name: 'column-mapping', arguments: JSON.stringify(args) },
      ],
    });
  });
  stack = await startStack(
    {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      LLM_MODELS: JSON.stringify({ smart: { provider: 'openai', model: 'gpt-4o-mini' } }),
      LLM_CACHE_ENABLED: 'false',
    },
    { policy: testPolicy({ workflows: { 'column-mapping': { run: { slackUsers: ['U_ALICE'] } } } }) },
  );
});
afterAll(async () => {
  await stack?.close();
  await openai?.close();
});

async function agentFor(startedBy: string) {
  const marker = `m-${randomUUID().slice(0, 8)}`;
  markers.add(marker);
  const run = await stack.runs.start(
    'agent',
    { request: `Map my table (${marker})`, allow: ['column-mapping'] },
    { startedBy },
  );
  const result = (await stack.runs.handle(run.workflowId).result()) as {
    actions: { name: string; status: string; detail?: string }[];
  };
  const history = await stack.runs.handle(run.workflowId).fetchHistory();
  const started = history.events!.filter((e) => e.childWorkflowExecutionStartedEventAttributes);
  const childIds = started.map(
    (e) => e.childWorkflowExecutionStartedEventAttributes!.workflowExecution!.workflowId!,
  );
  return { result, children: childIds.length, childIds };
}

it('refuses a child workflow the requester may not run, and the agent sees why', async () => {
  const { result, children } = await agentFor('slack:U_DAVE');
  expect(children).toBe(0);
  expect(result.actions).toMatchObject([
    {
      name: 'column-mapping',
      status: 'error',
      detail: expect.stringMatching(
        /Not allowed to start `column-mapping` for slack:U_DAVE: `column-mapping` is limited to <@U_ALICE>/,
      ),
    },
  ]);
});

it('starts it for a requester the policy allows, who stays the child’s requester', async () => {
  const { result, children, childIds } = await agentFor('slack:U_ALICE');
  expect(children).toBe(1);
  expect(result.actions).toMatchObject([{ name: 'column-mapping', status: 'ok' }]);
  const child = await stack.client.workflow.getHandle(childIds[0]!).describe();
  expect(child.memo).toMatchObject({ workflow: 'column-mapping', startedBy: 'slack:U_ALICE' });
});
