import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { schemaFields } from '../../core/input/schema-fields';
import type { SchemaField } from '../../core/input/schema-fields';
import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import { clip, escapeMrkdwn } from '../../tools/slack/blocks/mrkdwn';
import { runModalCallbackId } from '../modal/metadata';
import type { RunModalMetadata } from '../modal/metadata';
import { fieldType } from './fields';

/** Each input's block_id names its field; the element's action_id is always `value`. */
export const blockIdOf = (field: string): string => `field:${field}`;
export const actionId = 'value';

const option = (value: string): PlainTextOption => ({
  text: { type: 'plain_text', text: clip(value, 75) },
  value,
});

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v)))
    return value.join(', ');
  return JSON.stringify(value);
}

/** The element for a field's type, prefilled with what was typed. */
function element(field: SchemaField, prefill: unknown): InputBlock['element'] {
  const initial = text(prefill);
  switch (field.type) {
    case 'number':
    case 'integer':
      return {
        type: 'number_input',
        action_id: actionId,
        is_decimal_allowed: field.type === 'number',
        ...(typeof prefill === 'number' ? { initial_value: String(prefill) } : {}),
      };
    case 'enum': {
      const options = (field.options ?? []).map(option);
      const selected = options.find((o) => o.value === initial);
      return {
        type: 'static_select',
        action_id: actionId,
        options,
        ...(selected ? { initial_option: selected } : {}),
      };
    }
    case 'boolean': {
      const yes = option('yes');
      yes.text = { type: 'plain_text', text: 'Yes' };
      return {
        type: 'checkboxes',
        action_id: actionId,
        options: [yes],
        ...(prefill === true ? { initial_options: [yes] } : {}),
      };
    }
    default:
      return {
        type: 'plain_text_input',
        action_id: actionId,
        multiline: field.type === 'json',
        ...(initial !== undefined ? { initial_value: initial } : {}),
      };
  }
}

function hint(field: SchemaField): string {
  const extra = field.type === 'list' ? ' (comma-separated)' : field.type === 'json' ? ' (JSON)' : '';
  return clip(`${field.description ? `${field.description} · ` : ''}${fieldType(field)}${extra}`, 2000);
}

/** A form generated from the workflow's input schema; submitting it starts the run. */
export function runModal(
  definition: WorkflowDefinition,
  prefill: Record<string, unknown>,
  metadata: RunModalMetadata,
): ModalView {
  const inputs = schemaFields(definition.input).map((field): KnownBlock => ({
    type: 'input',
    block_id: blockIdOf(field.name),
    label: { type: 'plain_text', text: clip(field.name, 2000) },
    hint: { type: 'plain_text', text: hint(field) },
    // A checkbox left empty means "no", so booleans never block the submission.
    optional: !field.required || field.type === 'boolean',
    element: element(field, prefill[field.name]),
  }));
  return {
    type: 'modal',
    callback_id: runModalCallbackId,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: clip(`Run ${definition.name}`, 24) },
    submit: { type: 'plain_text', text: 'Start run' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(definition.description), 3000) } },
      ...inputs,
    ],
  };
}
