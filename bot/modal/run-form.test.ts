import type { ViewOutput } from '@slack/bolt';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { defineWorkflow } from '../../core/workflow/workflow-definition';
import { runModal } from '../blocks/run-modal';
import { readModalInput } from './read-values';

const definition = defineWorkflow({
  name: 'kitchen-sink',
  description: 'Every input type',
  input: z.object({
    title: z.string().min(3).describe('a title'),
    count: z.number().int().positive(),
    ratio: z.number().default(0.5),
    level: z.enum(['low', 'high']),
    urgent: z.boolean().default(false),
    tags: z.array(z.string()).optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  }),
  output: z.unknown(),
});
const metadata = { workflow: 'kitchen-sink', channel: 'C_OPS' };

it('generates an element per type, prefilled with what was typed', () => {
  const view = runModal(
    definition,
    { title: 'Hi', level: 'high', urgent: true, tags: ['a', 'b'], extra: { k: 1 } },
    metadata,
  );
  const inputs = Object.fromEntries(
    view.blocks.filter((b) => b.type === 'input').map((b) => [b.block_id, b]),
  );
  expect(inputs['field:title']).toMatchObject({
    optional: false,
    element: { type: 'plain_text_input', initial_value: 'Hi', multiline: false },
  });
  expect(inputs['field:count']).toMatchObject({
    optional: false,
    element: { type: 'number_input', is_decimal_allowed: false },
  });
  expect(inputs['field:ratio']).toMatchObject({
    optional: true,
    hint: { text: 'number, default 0.5' },
    element: { type: 'number_input', is_decimal_allowed: true },
  });
  expect(inputs['field:level']).toMatchObject({
    element: { type: 'static_select', initial_option: { value: 'high' } },
  });
  expect(inputs['field:urgent']).toMatchObject({
    optional: true,
    element: { type: 'checkboxes', initial_options: [{ value: 'yes' }] },
  });
  expect(inputs['field:tags']).toMatchObject({
    element: { type: 'plain_text_input', initial_value: 'a, b' },
  });
  expect(inputs['field:extra']).toMatchObject({
    element: { type: 'plain_text_input', multiline: true, initial_value: '{"k":1}' },
  });
  expect(JSON.parse(view.private_metadata!)).toEqual(metadata);
  expect(view.title.text.length).toBeLessThanOrEqual(24);
});

type Values = ViewOutput['state']['values'];
const state = (entries: Record<string, Record<string, unknown>>): Values =>
  Object.fromEntries(
    Object.entries(entries).map(([field, value]) => [`field:${field}`, { value: { type: 'x', ...value } }]),
  );

it('reads the submitted form back as typed input', () => {
  const values = state({
    title: { value: 'Hello' },
    count: { value: '3' },
    ratio: { value: null },
    level: { selected_option: { text: { type: 'plain_text', text: 'low' }, value: 'low' } },
    urgent: { selected_options: [] },
    tags: { value: 'x, y' },
    extra: { value: '{"a":[1]}' },
  });
  expect(readModalInput(definition, values)).toEqual({
    ok: true,
    input: {
      title: 'Hello',
      count: 3,
      ratio: 0.5,
      level: 'low',
      urgent: false,
      tags: ['x', 'y'],
      extra: { a: [1] },
    },
  });
});

it('names each bad input by its block, as response_action errors want', () => {
  const values = state({
    title: { value: 'Hi' },
    count: { value: '2.5' },
    level: { selected_option: null },
    extra: { value: '{nope' },
  });
  expect(readModalInput(definition, values)).toEqual({
    ok: false,
    errors: {
      'field:extra': 'expects valid JSON',
      'field:title': expect.stringMatching(/Too small/),
      'field:count': expect.stringMatching(/expected int/),
      'field:level': expect.stringMatching(/expected one of/),
    },
  });
  const schemaErrors = readModalInput(
    definition,
    state({ title: { value: 'Hi' }, count: { value: '2.5' }, level: { selected_option: null } }),
  );
  expect(schemaErrors).toEqual({
    ok: false,
    errors: {
      'field:title': expect.stringMatching(/Too small/),
      'field:count': expect.stringMatching(/expected int/),
      'field:level': expect.stringMatching(/expected one of/),
    },
  });
});
