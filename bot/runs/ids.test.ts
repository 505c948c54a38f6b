import { expect, it } from 'vitest';
import { workflowIdFor } from './ids';

it('derives the same short id from the same Slack request, and different ids otherwise', () => {
  const id = workflowIdFor('invoice-review', { kind: 'command', id: '123.456.abc' });
  expect(id).toMatch(/^invoice-review-s[0-9a-f]{11}$/);
  expect(workflowIdFor('invoice-review', { kind: 'command', id: '123.456.abc' })).toBe(id);
  expect(workflowIdFor('invoice-review', { kind: 'event', id: '123.456.abc' })).not.toBe(id);
  expect(workflowIdFor('invoice-review', { kind: 'command', id: '123.456.abd' })).not.toBe(id);
});
