import { isObject } from './args';
import type { Block, ViewStateValue, ViewStateValues } from './types';

/**
 * What a test says the user entered, keyed like Slack's `state.values` (block_id → action_id):
 * a string fills a text input or picks the option with that value, an array picks several options or
 * users, an object is used verbatim as the state entry.
 */
export type EnteredValue = string | number | string[] | Record<string, unknown> | null;
export type EnteredValues = Record<string, Record<string, EnteredValue>>;

interface Element {
  blockId: string;
  actionId: string;
  element: Record<string, unknown>;
  isInput: boolean;
}

/** Each element that keeps state in a view: input blocks' elements, actions elements, section accessories. */
function stateful(blocks: Block[]): Element[] {
  const found: Element[] = [];
  blocks.forEach((block, i) => {
    const blockId = block.block_id ?? `block_${i}`;
    const add = (element: unknown, isInput: boolean): void => {
      if (isObject(element) && typeof element.action_id === 'string')
        found.push({ blockId, actionId: element.action_id, element, isInput });
    };
    if (block.type === 'input') add(block.element, true);
    if (block.type === 'actions' && Array.isArray(block.elements))
      block.elements.forEach((e: unknown) => add(e, false));
    if (block.type === 'section') add(block.accessory, false);
  });
  return found;
}

function options(element: Record<string, unknown>): Record<string, unknown>[] {
  const direct: unknown[] = Array.isArray(element.options) ? element.options : [];
  const groups: unknown[] = Array.isArray(element.option_groups) ? element.option_groups : [];
  const grouped = groups.flatMap((group): unknown[] =>
    isObject(group) && Array.isArray(group.options) ? group.options : [],
  );
  return [...direct, ...grouped].filter(isObject);
}

function option(element: Record<string, unknown>, value: string): Record<string, unknown> {
  const found = options(element).find((o) => o.value === value);
  if (!found) throw new Error(`local-slack: no option with value "${value}" in ${String(element.action_id)}`);
  return found;
}

type Scalar = Exclude<EnteredValue, Record<string, unknown>>;
const list = (value: Scalar): string[] =>
  Array.isArray(value) ? value : value === null ? [] : [String(value)];
const single = (value: Scalar): string | null =>
  value === null ? null : Array.isArray(value) ? (value[0] ?? null) : String(value);

/** The state entry for one element, in the field Slack uses for its type. */
export function elementState(element: Record<string, unknown>, entered: EnteredValue): ViewStateValue {
  const type = String(element.type);
  if (isObject(entered)) return { type, ...entered };
  const value: Scalar = entered;
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons': {
      const picked = single(value);
      return { type, selected_option: picked === null ? null : option(element, picked) };
    }
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: list(value).map((v) => option(element, v)) };
    case 'users_select':
      return { type, selected_user: single(value) };
    case 'multi_users_select':
      return { type, selected_users: list(value) };
    case 'conversations_select':
      return { type, selected_conversation: single(value) };
    case 'multi_conversations_select':
      return { type, selected_conversations: list(value) };
    case 'channels_select':
      return { type, selected_channel: single(value) };
    case 'multi_channels_select':
      return { type, selected_channels: list(value) };
    case 'datepicker':
      return { type, selected_date: single(value) };
    case 'timepicker':
      return { type, selected_time: single(value) };
    case 'datetimepicker':
      return { type, selected_date_time: value === null ? null : Number(value) };
    case 'file_input':
      return { type, files: [] };
    default:
      return { type, value: single(value) };
  }
}

/**
 * What an untouched element submits: its initial value, as Slack reports it (a prefilled text input
 * sends its `initial_value`, a select its `initial_option`), or empty.
 */
function initialState(element: Record<string, unknown>): ViewStateValue {
  const type = String(element.type);
  const option = isObject(element.initial_option) ? element.initial_option : undefined;
  const initialOptions = Array.isArray(element.initial_options)
    ? element.initial_options.filter(isObject)
    : undefined;
  const value = element.initial_value;
  if (option) return { type, selected_option: option };
  if (initialOptions) return { type, selected_options: initialOptions };
  if (typeof value === 'string' || typeof value === 'number') return elementState(element, String(value));
  for (const [field, stateField] of [
    ['initial_user', 'selected_user'],
    ['initial_users', 'selected_users'],
    ['initial_conversation', 'selected_conversation'],
    ['initial_conversations', 'selected_conversations'],
    ['initial_channel', 'selected_channel'],
    ['initial_channels', 'selected_channels'],
    ['initial_date', 'selected_date'],
    ['initial_time', 'selected_time'],
    ['initial_date_time', 'selected_date_time'],
  ] as const) {
    if (element[field] !== undefined) return { type, [stateField]: element[field] };
  }
  return elementState(element, null);
}

/**
 * Builds `view.state.values` for a submission: every input present (untouched ones with their initial
 * value, or empty as Slack sends them, e.g. `value: null`), overlaid with what was entered. Naming an
 * element the view lacks is a test bug.
 */
export function buildStateValues(blocks: Block[], entered: EnteredValues): ViewStateValues {
  const elements = stateful(blocks);
  const values: ViewStateValues = {};
  const put = (blockId: string, actionId: string, value: ViewStateValue): void => {
    values[blockId] = { ...values[blockId], [actionId]: value };
  };
  for (const { blockId, actionId, element, isInput } of elements) {
    if (isInput) put(blockId, actionId, initialState(element));
  }
  for (const [blockId, actions] of Object.entries(entered)) {
    for (const [actionId, value] of Object.entries(actions)) {
      const target = elements.find((e) => e.blockId === blockId && e.actionId === actionId);
      if (!target) throw new Error(`local-slack: the view has no element ${blockId}/${actionId}`);
      put(blockId, actionId, elementState(target.element, value));
    }
  }
  return values;
}

/** Finds an interactive element by action_id (and block_id when given) in a list of blocks. */
export function findElement(
  blocks: Block[],
  actionId: string,
  blockId?: string,
): { blockId: string; element: Record<string, unknown> } | undefined {
  const found = stateful(blocks).find((e) => e.actionId === actionId && (!blockId || e.blockId === blockId));
  return found && { blockId: found.blockId, element: found.element };
}
