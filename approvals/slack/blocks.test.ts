import { describe, expect, it } from 'vitest';
import type { ApprovalRequestRecord } from '../store';
import { decidedMessage, parseButtonValue, requestMessage } from './blocks';

const request: ApprovalRequestRecord = {
  id: 'wf-1/approval-1',
  workflowId: 'wf-1',
  runId: 'r',
  title: 'Pay Acme',
  details: 'Invoice *INV-7*',
  requestedBy: 'slack:U_ALICE',
  actionName: 'bank.transfer',
  actionArgs: { to: 'acme', amount: 1200 },
  actionHash: 'abc',
  approvers: ['slack:U_BOB'],
  quorum: 2,
  allowComment: false,
  stage: 'initial',
  deadline: new Date('2026-03-01T12:00:00Z'),
  status: 'pending',
  createdAt: new Date('2026-03-01T00:00:00Z'),
};

describe('approval blocks', () => {
  it('carries the request and action hash in the buttons, and shows who asked and the deadline', () => {
    const { blocks, text } = requestMessage(request);
    expect(text).toBe('Approval needed: Pay Acme');
    const actions = blocks.find((b) => b.type === 'actions') as {
      elements: { value: string; action_id: string }[];
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['approvals.approve', 'approvals.reject']);
    expect(parseButtonValue(actions.elements[0]!.value)).toEqual({ r: 'wf-1/approval-1', h: 'abc' });
    const json = JSON.stringify(blocks);
    expect(json).toContain('Requested by <@U_ALICE>');
    expect(json).toContain('<!date^1772366400^');
    expect(json).toContain('2 approvals needed');
  });

  it('replaces the buttons with the outcome after the decision', () => {
    const votes = [
      {
        requestId: request.id,
        approver: 'slack:U_CAROL',
        approve: true,
        via: 'slack' as const,
        at: '2026-03-01T10:00:00Z',
      },
      {
        requestId: request.id,
        approver: 'email:bob@example.com',
        approve: true,
        via: 'email-reply' as const,
        comment: 'ok',
        at: '2026-03-01T11:00:00Z',
      },
    ];
    const { blocks } = decidedMessage(request, {
      requestId: request.id,
      decision: 'approved',
      decidedBy: 'email:bob@example.com',
      via: 'email-reply',
      comment: 'ok',
      at: '2026-03-01T11:00:00Z',
      votes,
    });
    const json = JSON.stringify(blocks);
    expect(json).not.toContain('"actions"');
    expect(json).toContain('Approved* by bob@example.com by email reply');
    expect(json).toContain('> ok');
    expect(json).toContain('Also approved by <@U_CAROL>');
  });

  it('rejects button values it did not write', () => {
    expect(parseButtonValue('nope')).toBeUndefined();
    expect(parseButtonValue('{"x":1}')).toBeUndefined();
  });
});
