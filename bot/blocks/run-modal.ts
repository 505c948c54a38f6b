import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { fieldType, schemaFields } from '../../core/input/schema-fields';
import type { SchemaField } from '../../core/input/schema-fields';
import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import { plainText, section } from '../../tools/slack/blocks/kit';
import { escapeMrkdwn, limits } from '../../tools/slack/blocks/mrkdwn';
import { runModalCallbackId } from '../modal/metadata';
import type { RunModalMetadata } from '../modal/metadata';

/** Each input's block_id names its field; the element's action_id is always `value`. */
export const blockIdOf = (field: string): string => `field:${field}`;
export const actionId = 'value';

const option = (value: string): PlainTextOption => ({
  text: plainText(value, limits.buttonText),
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
      yes.text = plainText('Yes');
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
  return `${field.description ? `${field.description} · ` : ''}${fieldType(field)}${extra}`;
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
    label: plainText(field.name, limits.inputLabel),
    hint: plainText(hint(field), limits.inputLabel),
    // A checkbox left empty means "no", so booleans never block the submission.
    optional: !field.required || field.type === 'boolean',
    element: element(field, prefill[field.name]),
  }));
  return {
    type: 'modal',
    callback_id: runModalCallbackId,
    private_metadata: JSON.stringify(metadata),
    title: plainText(`Run ${definition.name}`, limits.modalTitle),
    submit: plainText('Start run'),
    close: plainText('Cancel'),
    blocks: [section(escapeMrkdwn(definition.description)), ...inputs],
  };
}
