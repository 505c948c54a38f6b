import { describe, expect, it } from 'vitest';
import type { Action } from '../models';
import { actionArguments, actionTools } from './tooling';

const action = (name: string, extra: Partial<Action> = {}): Action => ({
  name,
  description: `does ${name}`,
  type: 'activity',
  labels: [],
  sideEffecting: false,
  parameters: { type: 'object', properties: { q: { type: 'string' } } },
  returns: {},
  ...extra,
});

describe('actions as LLM tools', () => {
  it('names tools the way providers accept, uniquely, and says which ones need approval', () => {
    const tools = actionTools([
      action('invoices.lookupVendor'),
      action('invoices_lookupVendor'),
      action('slack.post', { sideEffecting: true }),
      action('column-mapping', { type: 'workflow' }),
    ]);
    expect([...tools.keys()]).toEqual([
      'invoices_lookupVendor',
      'invoices_lookupVendor_2',
      'slack_post',
      'column-mapping',
    ]);
    expect(tools.get('slack_post')!.tool.description).toBe(
      'does slack.post (changes things outside Pantheon: a person must approve each call)',
    );
    expect(tools.get('column-mapping')!.tool.description).toMatch(/runs a Pantheon workflow/);
  });

  it('wraps non-object inputs and reads arguments back', () => {
    const tools = actionTools([
      action('count', { parameters: { type: 'array', items: { type: 'string' } } }),
      action('find'),
    ]);
    const wrapped = tools.get('count')!;
    expect(wrapped.tool.parameters).toMatchObject({ type: 'object', required: ['input'] });
    expect(actionArguments(wrapped, '{"input":["a"]}')).toEqual({ ok: true, args: ['a'] });
    expect(actionArguments(wrapped, '{"x":1}')).toMatchObject({ ok: false });
    expect(actionArguments(tools.get('find')!, '')).toEqual({ ok: true, args: {} });
    expect(actionArguments(tools.get('find')!, '{"q":')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/not valid JSON/),
    });
  });
});
