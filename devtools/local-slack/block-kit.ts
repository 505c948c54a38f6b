import { isObject } from './args';

/**
 * Block Kit validation: the subset of Slack's schema rules a bot realistically trips over (limits on
 * counts and lengths, required fields, unknown types). Problems are reported the way Slack words
 * them in `response_metadata.messages`: `[ERROR] <what> [json-pointer:<where>]`.
 */

export type Surface = 'message' | 'modal' | 'home';

const BLOCK_LIMIT: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

const KNOWN_BLOCKS = new Set([
  'actions',
  'context',
  'context_actions',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

function problem(message: string, pointer: string): string {
  return `[ERROR] ${message} [json-pointer:${pointer}]`;
}

function tooLong(max: number, pointer: string): string {
  return problem(`must be less than ${max + 1} characters`, pointer);
}

/** A text object: `{ type: 'plain_text' | 'mrkdwn', text }`, 1..max characters. */
function checkText(value: unknown, pointer: string, max: number, plainOnly: boolean, out: string[]): void {
  if (!isObject(value)) {
    out.push(problem('must be a text object', pointer));
    return;
  }
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
    out.push(problem(`must be one of: ${allowed.join(', ')}`, `${pointer}/type`));
  }
  if (typeof value.text !== 'string') out.push(problem('missing required field: text', pointer));
  else if (value.text.length === 0) out.push(problem('must be more than 0 characters', `${pointer}/text`));
  else if (value.text.length > max) out.push(tooLong(max, `${pointer}/text`));
}

function checkLength(value: unknown, max: number, pointer: string, out: string[]): void {
  if (typeof value === 'string' && value.length > max) out.push(tooLong(max, pointer));
}

function checkOptions(options: unknown, pointer: string, out: string[]): void {
  if (!Array.isArray(options)) return;
  if (options.length > 100) out.push(problem('no more than 100 items allowed', pointer));
  options.forEach((option: unknown, i) => {
    if (!isObject(option)) {
      out.push(problem('must be an option object', `${pointer}/${i}`));
      return;
    }
    checkText(option.text, `${pointer}/${i}/text`, 75, false, out);
    checkLength(option.value, 150, `${pointer}/${i}/value`, out);
  });
}

/** An interactive element (button, select, input…). */
function checkElement(element: unknown, pointer: string, out: string[]): void {
  if (!isObject(element) || typeof element.type !== 'string') {
    out.push(problem('missing required field: type', pointer));
    return;
  }
  checkLength(element.action_id, 255, `${pointer}/action_id`, out);
  if (element.type === 'button') {
    checkText(element.text, `${pointer}/text`, 75, true, out);
    checkLength(element.value, 2000, `${pointer}/value`, out);
    checkLength(element.url, 3000, `${pointer}/url`, out);
    if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
      out.push(problem('must be one of: primary, danger', `${pointer}/style`));
    }
  }
  checkOptions(element.options, `${pointer}/options`, out);
}

function checkElements(
  elements: unknown,
  max: number,
  pointer: string,
  out: string[],
  each: (e: unknown, p: string) => void,
): void {
  if (!Array.isArray(elements) || elements.length === 0) {
    out.push(problem('must provide at least 1 item', pointer));
    return;
  }
  if (elements.length > max) out.push(problem(`no more than ${max} items allowed`, pointer));
  elements.forEach((element: unknown, i) => each(element, `${pointer}/${i}`));
}

function checkBlock(block: Record<string, unknown>, pointer: string, out: string[]): void {
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined)
        out.push(problem('must provide either text or fields', pointer));
      if (block.text !== undefined) checkText(block.text, `${pointer}/text`, 3000, false, out);
      if (block.fields !== undefined) {
        checkElements(block.fields, 10, `${pointer}/fields`, out, (field, p) =>
          checkText(field, p, 2000, false, out),
        );
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${pointer}/accessory`, out);
      return;
    }
    case 'header':
      return checkText(block.text, `${pointer}/text`, 150, true, out);
    case 'context':
      return checkElements(block.elements, 10, `${pointer}/elements`, out, (element, p) => {
        if (isObject(element) && element.type === 'image') return;
        checkText(element, p, 3000, false, out);
      });
    case 'actions': {
      checkElements(block.elements, 25, `${pointer}/elements`, out, (element, p) =>
        checkElement(element, p, out),
      );
      const ids = Array.isArray(block.elements)
        ? block.elements
            .map((e: unknown) => (isObject(e) ? e.action_id : undefined))
            .filter((id) => typeof id === 'string')
        : [];
      if (new Set(ids).size !== ids.length)
        out.push(problem('action_id values must be unique within a block', `${pointer}/elements`));
      return;
    }
    case 'input':
      checkText(block.label, `${pointer}/label`, 2000, true, out);
      if (block.hint !== undefined) checkText(block.hint, `${pointer}/hint`, 2000, true, out);
      if (block.element === undefined) out.push(problem('missing required field: element', pointer));
      else checkElement(block.element, `${pointer}/element`, out);
      return;
    case 'image':
      if (block.image_url === undefined && block.slack_file === undefined)
        out.push(problem('missing required field: image_url', pointer));
      if (typeof block.alt_text !== 'string') out.push(problem('missing required field: alt_text', pointer));
      checkLength(block.alt_text, 2000, `${pointer}/alt_text`, out);
      return;
    case 'markdown':
      if (typeof block.text !== 'string') out.push(problem('missing required field: text', pointer));
      checkLength(block.text, 12000, `${pointer}/text`, out);
      return;
    default:
      return;
  }
}

/** Returns Slack-worded problems with `blocks`; an empty list means Slack would accept them. */
export function validateBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  if (!Array.isArray(blocks)) return [problem('must provide an array', pointer)];
  const out: string[] = [];
  const limit = BLOCK_LIMIT[surface];
  if (blocks.length > limit) out.push(problem(`no more than ${limit} items allowed`, pointer));
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(block) || typeof block.type !== 'string') {
      out.push(problem('missing required field: type', at));
      return;
    }
    if (!KNOWN_BLOCKS.has(block.type)) {
      out.push(problem(`failed to match all allowed schemas: unsupported type ${block.type}`, at));
      return;
    }
    if (typeof block.block_id === 'string') {
      checkLength(block.block_id, 255, `${at}/block_id`, out);
      if (blockIds.has(block.block_id))
        out.push(problem(`duplicate block_id: ${block.block_id}`, `${at}/block_id`));
      blockIds.add(block.block_id);
    }
    checkBlock(block, at, out);
  });
  return out;
}

/** Problems with a modal or Home tab view as views.open/update/push and response_action receive it. */
export function validateView(view: unknown, pointer = '/view'): string[] {
  if (!isObject(view)) return [problem('must be a view object', pointer)];
  const out: string[] = [];
  if (view.type !== 'modal' && view.type !== 'home') {
    out.push(problem('must be one of: modal, home', `${pointer}/type`));
    return out;
  }
  if (view.type === 'modal') checkText(view.title, `${pointer}/title`, 24, true, out);
  if (view.submit !== undefined) checkText(view.submit, `${pointer}/submit`, 24, true, out);
  if (view.close !== undefined) checkText(view.close, `${pointer}/close`, 24, true, out);
  checkLength(view.private_metadata, 3000, `${pointer}/private_metadata`, out);
  checkLength(view.callback_id, 255, `${pointer}/callback_id`, out);
  checkLength(view.external_id, 255, `${pointer}/external_id`, out);
  out.push(...validateBlocks(view.blocks, view.type, `${pointer}/blocks`));
  const hasInput =
    Array.isArray(view.blocks) && view.blocks.some((b: unknown) => isObject(b) && b.type === 'input');
  if (view.type === 'modal' && hasInput && view.submit === undefined) {
    out.push(problem('submit is required when the view has input blocks', `${pointer}/submit`));
  }
  return out;
}
