import { expect, it } from 'vitest';
import type { Block } from './types';
import { buildStateValues } from './view-state';

// Slack submits an untouched, prefilled input with its initial value, not as empty.
it('submits untouched inputs with their initial values', () => {
  const option = { text: { type: 'plain_text', text: 'High' }, value: 'high' };
  const blocks: Block[] = [
    {
      type: 'input',
      block_id: 'what',
      element: { type: 'plain_text_input', action_id: 'v', initial_value: 'A laptop' },
    },
    {
      type: 'input',
      block_id: 'count',
      element: { type: 'number_input', action_id: 'v', initial_value: '3', is_decimal_allowed: false },
    },
    {
      type: 'input',
      block_id: 'level',
      element: { type: 'static_select', action_id: 'v', options: [option], initial_option: option },
    },
    {
      type: 'input',
      block_id: 'flags',
      element: { type: 'checkboxes', action_id: 'v', options: [option], initial_options: [option] },
    },
    {
      type: 'input',
      block_id: 'who',
      element: { type: 'users_select', action_id: 'v', initial_user: 'U_BOB' },
    },
    { type: 'input', block_id: 'empty', element: { type: 'plain_text_input', action_id: 'v' } },
  ];
  expect(buildStateValues(blocks, { what: { v: 'A desk' } })).toEqual({
    what: { v: { type: 'plain_text_input', value: 'A desk' } },
    count: { v: { type: 'number_input', value: '3' } },
    level: { v: { type: 'static_select', selected_option: option } },
    flags: { v: { type: 'checkboxes', selected_options: [option] } },
    who: { v: { type: 'users_select', selected_user: 'U_BOB' } },
    empty: { v: { type: 'plain_text_input', value: null } },
  });
});
