import { describe, expect, it } from 'vitest';
import { validateBlocks } from '@pantheon/local-slack/block-kit';
import type { Delivery, DeliveryRequest } from '../../core/delivery/contract';
import {
  budgetDenyActionId,
  budgetRaiseActionId,
  parseBudgetButton,
} from '../../core/workflow/budget-contract';
import { pausedBudgetAskRequest } from '../llm/testing/budget-ask-request';
import { budgetQuestion, slackBudgetAsk } from './budget-question';

function recordingDelivery(): Delivery & { sent: DeliveryRequest[] } {
  const sent: DeliveryRequest[] = [];
  return {
    sent,
    send: async (request) => {
      sent.push(request);
      return { ok: true, ts: '1700000000.000200', channel: request.channel };
    },
    enqueue: async (request) => void sent.push(request),
    close: async () => {},
  };
}

const request = pausedBudgetAskRequest;

describe('asking for a budget raise in Slack', () => {
  it("posts in the run's thread with Raise and Stop buttons the bot can read back, once per ask", async () => {
    const delivery = recordingDelivery();
    const ask = slackBudgetAsk({
      delivery,
      findThread: async (id) => (id === 'agent-1' ? { channel: 'C1', ts: '1699.000100' } : undefined),
    });
    expect(await ask(request())).toEqual({ asked: true, where: 'C1/1700000000.000200' });

    const [post] = delivery.sent;
    expect(post).toMatchObject({
      channel: 'C1',
      method: 'chat.postMessage',
      idempotencyKey: 'agent-1/r-1/budget-ask/2',
      runId: 'agent-1',
    });
    expect(post!.args).toMatchObject({ channel: 'C1', thread_ts: '1699.000100' });
    expect(post!.args.text).toBe(
      "<@U7> ⏸️ Paused: the next LLM call would pass this run's budget (tokens 1450 of 1000). Raise it to 2,050 tokens?",
    );
    const actions = (
      post!.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
    ).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.action_id)).toEqual([budgetRaiseActionId, budgetDenyActionId]);
    expect(parseBudgetButton(actions.elements![0]!.value)).toEqual({
      workflowId: 'agent-1',
      maxTokens: 2050,
    });
    expect(parseBudgetButton(actions.elements![1]!.value)).toEqual({ workflowId: 'agent-1' });
    expect(parseBudgetButton('nonsense')).toBeUndefined();
    expect(validateBlocks(budgetQuestion(request()).blocks, 'message')).toEqual([]);
    expect(JSON.stringify(post!.args.blocks)).toContain(
      'From a terminal: `pantheon budget agent-1 raise maxTokens=2050`',
    );
  });

  it('keeps to the thread a run was started in, and does not ask for runs started elsewhere', async () => {
    const delivery = recordingDelivery();
    const ask = slackBudgetAsk({ delivery, findThread: async () => undefined });
    await ask(request({ slack: { channel: 'C2', threadTs: '1600.1' } }));
    expect(delivery.sent[0]!.args).toMatchObject({ channel: 'C2', thread_ts: '1600.1' });
    const { slack: _none, ...fromCli } = request();
    expect(await ask(fromCli)).toEqual({ asked: false });
    expect(delivery.sent).toHaveLength(1);
  });
});
