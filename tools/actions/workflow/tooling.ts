import type { Action } from '../models';

/**
 * Actions as LLM tools: names providers accept (`invoices.lookupVendor` → `invoices_lookupVendor`),
 * object parameter schemas, and the way back from a tool call to its action. Workflow-safe (pure).
 */
export interface ActionTool {
  readonly action: Action;
  readonly tool: { name: string; description: string; parameters: Record<string, unknown> };
  /** The action takes a non-object input: the tool's arguments carry it as `{ input }`. */
  readonly wrapped: boolean;
}

export function actionTools(actions: readonly Action[]): Map<string, ActionTool> {
  const tools = new Map<string, ActionTool>();
  for (const action of actions) {
    const name = uniqueName(toolName(action.name), tools);
    const wrapped = action.parameters.type !== 'object';
    const parameters = wrapped
      ? {
          type: 'object',
          properties: { input: action.parameters },
          required: ['input'],
          additionalProperties: false,
        }
      : action.parameters;
    const description = [
      action.description,
      action.type === 'workflow' ? '(runs a Pantheon workflow)' : '',
      action.sideEffecting ? '(changes things outside Pantheon: a person must approve each call)' : '',
    ]
      .filter(Boolean)
      .join(' ');
    tools.set(name, { action, tool: { name, description: description.slice(0, 1024), parameters }, wrapped });
  }
  return tools;
}

/** The action's input from a tool call's JSON arguments, or why they cannot be read. */
export function actionArguments(
  tool: ActionTool,
  json: string,
): { ok: true; args: unknown } | { ok: false; problem: string } {
  let value: unknown;
  try {
    value = json.trim() === '' ? {} : JSON.parse(json);
  } catch (error) {
    return {
      ok: false,
      problem: `the arguments are not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (!tool.wrapped) return { ok: true, args: value };
  if (value !== null && typeof value === 'object' && 'input' in value) return { ok: true, args: value.input };
  return { ok: false, problem: 'the arguments must be an object with an "input" field' };
}

function toolName(actionName: string): string {
  return actionName.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'action';
}

function uniqueName(base: string, taken: ReadonlyMap<string, unknown>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base.slice(0, 60)}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
