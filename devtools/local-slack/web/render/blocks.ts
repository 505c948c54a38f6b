import { classes, escapeHtml, safeImageUrl, safeUrl } from './escape';
import {
  type RenderContext,
  EMPTY_CONTEXT,
  renderMrkdwn,
  renderPlain,
  renderTextObject,
  textOf,
} from './mrkdwn';

/**
 * Block Kit → HTML, as Slack's client lays it out. Interactive elements carry `data-action-id`,
 * `data-block-id` (Slack's `block_<index>` fallback, matching the local server) and `data-value`
 * so the page can turn a click into `clickButton`; inputs carry `data-input` for `submitView`.
 */

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObj) : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export interface BlockRenderOptions {
  /** Errors of the last `response_action: errors`, by block_id, shown under the inputs. */
  errors?: Record<string, string>;
  /** Where the blocks live: a message's buttons need nothing more, a modal's inputs are editable. */
  surface?: 'message' | 'modal';
}

/** A JSON scalar as text; objects and arrays (never valid where a string is expected) as nothing. */
function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function attr(name: string, value: unknown): string {
  const text = scalar(value);
  return text === undefined ? '' : ` ${name}="${escapeHtml(text)}"`;
}

function confirmAttr(element: Obj): string {
  return isObj(element.confirm) ? attr('data-confirm', JSON.stringify(element.confirm)) : '';
}

function optionLabel(option: Obj): string {
  return textOf(option.text);
}

function optionsHtml(element: Obj, selected: Set<string>, placeholder?: string): string {
  const option = (o: Obj): string =>
    `<option${attr('value', str(o.value) ?? '')}${selected.has(str(o.value) ?? '') ? ' selected' : ''}>${escapeHtml(optionLabel(o))}</option>`;
  const groups = list(element.option_groups);
  const body = groups.length
    ? groups
        .map(
          (g) =>
            `<optgroup${attr('label', textOf(g.label))}>${list(g.options).map(option).join('')}</optgroup>`,
        )
        .join('')
    : list(element.options).map(option).join('');
  const empty =
    placeholder !== undefined
      ? `<option value=""${selected.size ? '' : ' selected'}>${escapeHtml(placeholder)}</option>`
      : '';
  return empty + body;
}

function initialValues(element: Obj): Set<string> {
  const picked = [
    ...(isObj(element.initial_option) ? [element.initial_option] : []),
    ...list(element.initial_options),
  ];
  return new Set(picked.map((o) => str(o.value) ?? ''));
}

function elementIds(element: Obj, blockId: string): string {
  return `${attr('data-action-id', str(element.action_id))}${attr('data-block-id', blockId)}`;
}

/** A button: Slack's default, primary (green) or danger (red); a `url` opens too. */
export function renderButton(element: Obj, blockId: string): string {
  const style = str(element.style);
  const url = safeUrl(element.url);
  const label = renderTextObject(element.text);
  const disabled = typeof element.action_id === 'string' ? '' : ' disabled';
  return `<button type="button" class="${classes('bk-button', style === 'primary' && 'bk-primary', style === 'danger' && 'bk-danger')}" data-kind="button"${elementIds(element, blockId)}${attr('data-value', str(element.value))}${attr('data-url', url)}${confirmAttr(element)}${attr('title', str(element.accessibility_label))}${disabled}>${label}</button>`;
}

/** A select, overflow, date or time picker outside an input block: a change is an action. */
function renderActionElement(element: Obj, blockId: string, ctx: RenderContext): string {
  const type = str(element.type) ?? '';
  const ids = elementIds(element, blockId);
  switch (type) {
    case 'button':
      return renderButton(element, blockId);
    case 'overflow':
      return `<label class="bk-overflow" title="More actions"><span aria-hidden="true">⋮</span><select class="bk-overflow-select" data-kind="select"${ids}${confirmAttr(element)}><option value="" selected disabled hidden></option>${list(
        element.options,
      )
        .map(
          (o) =>
            `<option${attr('value', str(o.value) ?? '')}${attr('data-url', safeUrl(o.url))}>${escapeHtml(optionLabel(o))}</option>`,
        )
        .join('')}</select></label>`;
    case 'static_select':
    case 'external_select':
      return `<select class="bk-select" data-kind="select"${ids}${confirmAttr(element)}>${optionsHtml(element, initialValues(element), textOf(element.placeholder) || 'Select an item')}</select>`;
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      return `<select class="bk-select" data-kind="select"${ids}>${entityOptions(type, ctx, str(element.initial_user) ?? str(element.initial_conversation) ?? str(element.initial_channel), textOf(element.placeholder) || 'Select…')}</select>`;
    case 'datepicker':
      return `<input type="date" class="bk-select" data-kind="select"${ids}${attr('value', str(element.initial_date))}>`;
    case 'timepicker':
      return `<input type="time" class="bk-select" data-kind="select"${ids}${attr('value', str(element.initial_time))}>`;
    case 'image':
      return renderImageElement(element, 'bk-accessory-image');
    case 'checkboxes':
    case 'radio_buttons':
      return renderChoices(element, blockId, 'action');
    default:
      return `<span class="bk-unsupported">[${escapeHtml(type || 'element')}]</span>`;
  }
}

function entityOptions(
  type: string,
  ctx: RenderContext,
  initial: string | undefined,
  placeholder: string,
): string {
  const entries =
    type === 'users_select'
      ? Object.entries(ctx.users)
          .filter(([, u]) => !u.isBot)
          .map(([id, u]) => [id, u.realName || u.name] as const)
      : Object.entries(ctx.channels).map(([id, name]) => [id, `#${name}`] as const);
  return (
    `<option value=""${initial ? '' : ' selected'}>${escapeHtml(placeholder)}</option>` +
    entries
      .map(
        ([id, label]) =>
          `<option${attr('value', id)}${id === initial ? ' selected' : ''}>${escapeHtml(label)}</option>`,
      )
      .join('')
  );
}

function renderImageElement(element: Obj, className: string): string {
  const src = safeImageUrl(element.image_url);
  const alt = str(element.alt_text) ?? '';
  return src
    ? `<img class="${className}"${attr('src', src)}${attr('alt', alt)}${attr('title', alt)} loading="lazy" referrerpolicy="no-referrer">`
    : `<span class="${className} bk-image-missing" title="${escapeHtml(alt)}">🖼</span>`;
}

function renderChoices(element: Obj, blockId: string, mode: 'action' | 'input'): string {
  const radio = element.type === 'radio_buttons';
  const selected = initialValues(element);
  const name = `${blockId}/${str(element.action_id) ?? ''}`;
  const kind = mode === 'action' ? ' data-kind="choice"' : '';
  return `<div class="bk-choices"${mode === 'input' ? ` data-input="${radio ? 'radio_buttons' : 'checkboxes'}"` : ''}${elementIds(element, blockId)}>${list(
    element.options,
  )
    .map(
      (o) =>
        `<label class="bk-choice"><input type="${radio ? 'radio' : 'checkbox'}"${attr('name', name)}${attr('value', str(o.value) ?? '')}${selected.has(str(o.value) ?? '') ? ' checked' : ''}${kind}${elementIds(element, blockId)}><span><span class="bk-choice-label">${renderTextObject(o.text)}</span>${o.description ? `<span class="bk-choice-description">${renderTextObject(o.description)}</span>` : ''}</span></label>`,
    )
    .join('')}</div>`;
}

/** The editable control of an `input` block, named for `submitView` by block_id and action_id. */
function renderInputElement(element: Obj, blockId: string, ctx: RenderContext, invalid: boolean): string {
  const type = str(element.type) ?? '';
  const ids = elementIds(element, blockId);
  const common = `${ids} data-input="${escapeHtml(type)}"${invalid ? ' aria-invalid="true"' : ''}`;
  const placeholder = attr('placeholder', textOf(element.placeholder) || undefined);
  const cls = classes('bk-input', invalid && 'bk-invalid');
  switch (type) {
    case 'plain_text_input':
      return element.multiline === true
        ? `<textarea class="${cls}" rows="4"${common}${placeholder}${attr('maxlength', element.max_length)}>${escapeHtml(str(element.initial_value) ?? '')}</textarea>`
        : `<input type="text" class="${cls}"${common}${placeholder}${attr('value', str(element.initial_value))}${attr('maxlength', element.max_length)}>`;
    case 'email_text_input':
      return `<input type="email" class="${cls}"${common}${placeholder}${attr('value', str(element.initial_value))}>`;
    case 'url_text_input':
      return `<input type="url" class="${cls}"${common}${placeholder}${attr('value', str(element.initial_value))}>`;
    case 'number_input':
      return `<input type="number" class="${cls}"${common}${placeholder}${attr('value', str(element.initial_value))}${attr('min', str(element.min_value))}${attr('max', str(element.max_value))}${attr('step', element.is_decimal_allowed === true ? 'any' : '1')}>`;
    case 'static_select':
    case 'external_select':
      return `<select class="${cls}"${common}>${optionsHtml(element, initialValues(element), textOf(element.placeholder) || 'Select an item')}</select>`;
    case 'multi_static_select':
    case 'multi_external_select':
      return `<select class="${cls} bk-multi" multiple${common}>${optionsHtml(element, initialValues(element))}</select>`;
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      return `<select class="${cls}"${common}>${entityOptions(type, ctx, str(element.initial_user) ?? str(element.initial_conversation) ?? str(element.initial_channel), textOf(element.placeholder) || 'Select…')}</select>`;
    case 'multi_users_select': {
      const initial = new Set(Array.isArray(element.initial_users) ? element.initial_users.map(String) : []);
      return `<select class="${cls} bk-multi" multiple${common}>${Object.entries(ctx.users)
        .filter(([, u]) => !u.isBot)
        .map(
          ([id, u]) =>
            `<option${attr('value', id)}${initial.has(id) ? ' selected' : ''}>${escapeHtml(u.realName || u.name)}</option>`,
        )
        .join('')}</select>`;
    }
    case 'checkboxes':
    case 'radio_buttons':
      return renderChoices(element, blockId, 'input');
    case 'datepicker':
      return `<input type="date" class="${cls}"${common}${attr('value', str(element.initial_date))}>`;
    case 'timepicker':
      return `<input type="time" class="${cls}"${common}${attr('value', str(element.initial_time))}>`;
    default:
      return `<div class="bk-unsupported">This input (${escapeHtml(type || 'unknown')}) isn't supported by the local workspace.</div>`;
  }
}

function renderRichTextElements(elements: Obj[], ctx: RenderContext): string {
  return elements
    .map((e) => {
      const style = isObj(e.style) ? e.style : {};
      const wrap = (html: string): string => {
        let out = html;
        if (style.code) out = `<code class="sk-code">${out}</code>`;
        if (style.bold) out = `<b>${out}</b>`;
        if (style.italic) out = `<i>${out}</i>`;
        if (style.strike) out = `<s>${out}</s>`;
        return out;
      };
      switch (e.type) {
        case 'text':
          return wrap(renderPlain(str(e.text) ?? '', false));
        case 'link': {
          const href = safeUrl(e.url);
          const label = renderPlain(str(e.text) ?? str(e.url) ?? '', false);
          return wrap(
            href
              ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${label}</a>`
              : label,
          );
        }
        case 'user':
          return renderMrkdwn(`<@${str(e.user_id) ?? ''}>`, ctx);
        case 'channel':
          return renderMrkdwn(`<#${str(e.channel_id) ?? ''}>`, ctx);
        case 'usergroup':
          return renderMrkdwn(`<!subteam^${str(e.usergroup_id) ?? ''}>`, ctx);
        case 'broadcast':
          return renderMrkdwn(`<!${str(e.range) ?? 'here'}>`, ctx);
        case 'emoji':
          return renderPlain(`:${str(e.name) ?? ''}:`);
        default:
          return '';
      }
    })
    .join('');
}

function renderRichText(block: Obj, ctx: RenderContext): string {
  const part = (element: Obj): string => {
    const inner = list(element.elements);
    switch (element.type) {
      case 'rich_text_section':
        return `<div class="bk-rich-section">${renderRichTextElements(inner, ctx)}</div>`;
      case 'rich_text_preformatted':
        return `<pre class="sk-pre">${renderRichTextElements(inner, ctx)}</pre>`;
      case 'rich_text_quote':
        return `<blockquote class="sk-quote">${renderRichTextElements(inner, ctx)}</blockquote>`;
      case 'rich_text_list': {
        const tag = element.style === 'ordered' ? 'ol' : 'ul';
        return `<${tag} class="bk-rich-list">${inner.map((item) => `<li>${renderRichTextElements(list(item.elements), ctx)}</li>`).join('')}</${tag}>`;
      }
      default:
        return '';
    }
  };
  return `<div class="bk-rich-text">${list(block.elements).map(part).join('')}</div>`;
}

/** One block. `index` gives the fallback block_id Slack's payloads (and the local server) use. */
export function renderBlock(
  block: Obj,
  index: number,
  ctx: RenderContext,
  options: BlockRenderOptions = {},
): string {
  const blockId = str(block.block_id) ?? `block_${index}`;
  const idAttr = attr('data-block', blockId);
  switch (block.type) {
    case 'header':
      return `<div class="bk-block bk-header"${idAttr}>${renderTextObject(block.text, ctx)}</div>`;
    case 'divider':
      return `<hr class="bk-block bk-divider"${idAttr}>`;
    case 'section': {
      const text = block.text
        ? `<div class="bk-section-text">${renderTextObject(block.text, ctx)}</div>`
        : '';
      const fields = list(block.fields);
      const fieldsHtml = fields.length
        ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${renderTextObject(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = isObj(block.accessory)
        ? `<div class="${classes('bk-accessory', block.accessory.type === 'image' && 'bk-accessory-img')}">${renderActionElement(block.accessory, blockId, ctx)}</div>`
        : '';
      return `<div class="bk-block bk-section"${idAttr}><div class="bk-section-main">${text}${fieldsHtml}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="bk-block bk-context"${idAttr}>${list(block.elements)
        .map((e) =>
          e.type === 'image'
            ? renderImageElement(e, 'bk-context-image')
            : `<span class="bk-context-text">${renderTextObject(e, ctx)}</span>`,
        )
        .join('')}</div>`;
    case 'actions':
      return `<div class="bk-block bk-actions"${idAttr}>${list(block.elements)
        .map((e) => renderActionElement(e, blockId, ctx))
        .join('')}</div>`;
    case 'image': {
      const src = safeImageUrl(block.image_url);
      const alt = str(block.alt_text) ?? '';
      const title = block.title
        ? `<div class="bk-image-title">${renderTextObject(block.title, ctx)}</div>`
        : '';
      const image = src
        ? `<a href="${escapeHtml(src)}" target="_blank" rel="noopener noreferrer"><img class="bk-image"${attr('src', src)}${attr('alt', alt)} loading="lazy" referrerpolicy="no-referrer"></a>`
        : `<div class="bk-image bk-image-missing">${escapeHtml(alt || 'image')}</div>`;
      return `<div class="bk-block bk-image-block"${idAttr}>${title}${image}</div>`;
    }
    case 'input': {
      const error = options.errors?.[blockId];
      const label = block.label ? renderTextObject(block.label, ctx) : '';
      const optional = block.optional === true ? ' <span class="bk-optional">(optional)</span>' : '';
      const hint = block.hint ? `<div class="bk-hint">${renderTextObject(block.hint, ctx)}</div>` : '';
      const element = isObj(block.element) ? renderInputElement(block.element, blockId, ctx, !!error) : '';
      const errorHtml = error ? `<div class="bk-error" role="alert">${renderPlain(error)}</div>` : '';
      return `<div class="${classes('bk-block', 'bk-input-block', error && 'bk-has-error')}"${idAttr}${block.optional === true ? ' data-optional="true"' : ''}><label class="bk-label">${label}${optional}</label>${element}${errorHtml}${hint}</div>`;
    }
    case 'rich_text':
      return `<div class="bk-block"${idAttr}>${renderRichText(block, ctx)}</div>`;
    case 'video': {
      const url = safeUrl(block.title_url) ?? safeUrl(block.video_url);
      const title = textOf(block.title) || 'Video';
      return `<div class="bk-block bk-video"${idAttr}>▶ ${url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(title)}</a>` : escapeHtml(title)}</div>`;
    }
    case 'file':
      return `<div class="bk-block bk-file"${idAttr}>📄 ${escapeHtml(str(block.external_id) ?? 'file')}</div>`;
    default:
      return `<div class="bk-block bk-unsupported"${idAttr}>Unsupported block: ${escapeHtml(str(block.type) ?? 'unknown')}</div>`;
  }
}

export function renderBlocks(
  blocks: unknown,
  ctx: RenderContext = EMPTY_CONTEXT,
  options: BlockRenderOptions = {},
): string {
  if (!Array.isArray(blocks)) return '';
  return `<div class="bk-blocks">${blocks.map((b, i) => (isObj(b) ? renderBlock(b, i, ctx, options) : '')).join('')}</div>`;
}

/** Legacy attachments: the colour bar with pretext, author, title, text, fields, image and footer. */
export function renderAttachments(attachments: unknown, ctx: RenderContext = EMPTY_CONTEXT): string {
  return list(attachments)
    .map((a) => {
      const color = str(a.color) ?? '';
      const bar = /^#?[0-9a-f]{3,8}$/i.test(color)
        ? color.startsWith('#')
          ? color
          : `#${color}`
        : (({ good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' } as Record<string, string>)[color] ??
          '#dddddd');
      const pretext = a.pretext
        ? `<div class="att-pretext">${renderMrkdwn(str(a.pretext) ?? '', ctx)}</div>`
        : '';
      const author = a.author_name
        ? `<div class="att-author">${escapeHtml(scalar(a.author_name))}</div>`
        : '';
      const titleLink = safeUrl(a.title_link);
      const title = a.title
        ? `<div class="att-title">${titleLink ? `<a href="${escapeHtml(titleLink)}" target="_blank" rel="noopener noreferrer">${escapeHtml(scalar(a.title))}</a>` : escapeHtml(scalar(a.title))}</div>`
        : '';
      const text = a.text ? `<div class="att-text">${renderMrkdwn(str(a.text) ?? '', ctx)}</div>` : '';
      const fields = list(a.fields);
      const fieldsHtml = fields.length
        ? `<div class="att-fields">${fields.map((f) => `<div class="${classes('att-field', f.short === true && 'att-field-short')}"><div class="att-field-title">${escapeHtml(scalar(f.title))}</div><div>${renderMrkdwn(str(f.value) ?? '', ctx)}</div></div>`).join('')}</div>`
        : '';
      const blocks = Array.isArray(a.blocks) ? renderBlocks(a.blocks, ctx) : '';
      const image = safeImageUrl(a.image_url);
      const imageHtml = image
        ? `<img class="att-image"${attr('src', image)} alt="" loading="lazy" referrerpolicy="no-referrer">`
        : '';
      const footer = a.footer
        ? `<div class="att-footer">${renderMrkdwn(str(a.footer) ?? '', ctx)}</div>`
        : '';
      const fallback =
        !text && !title && !fields.length && !blocks && a.fallback
          ? `<div class="att-text">${escapeHtml(scalar(a.fallback))}</div>`
          : '';
      return `<div class="att"${attr('style', `--att-color:${bar}`)}>${pretext}<div class="att-body">${author}${title}${text}${fallback}${fieldsHtml}${blocks}${imageHtml}${footer}</div></div>`;
    })
    .join('');
}
