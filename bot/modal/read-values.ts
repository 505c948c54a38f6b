import type { ViewOutput } from '@slack/bolt';
import { schemaFields } from '../../core/input/schema-fields';
import type { SchemaField } from '../../core/input/schema-fields';
import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import { actionId, blockIdOf } from '../blocks/run-modal';

type StateValue = ViewOutput['state']['values'][string][string];
type Read = { ok: true; value: unknown } | { ok: false; error: string };

/** One element's state as the field's type wants it; `undefined` for an empty input. */
function readField(field: SchemaField, state: StateValue | undefined): Read {
  if (!state) return { ok: true, value: undefined };
  if (field.type === 'boolean') return { ok: true, value: (state.selected_options ?? []).length > 0 };
  if (field.type === 'enum') return { ok: true, value: state.selected_option?.value ?? undefined };
  const raw = typeof state.value === 'string' ? state.value.trim() : '';
  if (raw === '') return { ok: true, value: undefined };
  switch (field.type) {
    case 'number':
    case 'integer': {
      const value = Number(raw);
      return Number.isNaN(value) ? { ok: false, error: `expects a ${field.type}` } : { ok: true, value };
    }
    case 'list': {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      const numeric = field.itemType === 'number' || field.itemType === 'integer';
      return { ok: true, value: numeric ? items.map(Number) : items };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(raw) as unknown };
      } catch {
        return { ok: false, error: 'expects valid JSON' };
      }
    default:
      return { ok: true, value: raw };
  }
}

export type ModalInput = { ok: true; input: unknown } | { ok: false; errors: Record<string, string> };

/**
 * The submitted form as workflow input, validated by the workflow's schema; otherwise one error per
 * block, in Slack's `response_action: 'errors'` shape, so each shows under its input.
 */
export function readModalInput(
  definition: WorkflowDefinition,
  values: ViewOutput['state']['values'],
): ModalInput {
  const fields = schemaFields(definition.input);
  const errors: Record<string, string> = {};
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const read = readField(field, values[blockIdOf(field.name)]?.[actionId]);
    if (!read.ok) errors[blockIdOf(field.name)] = read.error;
    else if (read.value !== undefined) input[field.name] = read.value;
  }
  // Validate the rest too, so every problem shows at once (a field that could not be read keeps that error).
  const parsed = definition.input.safeParse(input);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input: parsed.data };
  if (parsed.success) return { ok: false, errors };
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? fields[0]?.name ?? '');
    const blockId = blockIdOf(fields.some((f) => f.name === name) ? name : (fields[0]?.name ?? name));
    errors[blockId] ??= issue.message;
  }
  return { ok: false, errors };
}
