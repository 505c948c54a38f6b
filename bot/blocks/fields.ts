import { fieldType } from '../../core/input/schema-fields';
import type { SchemaField } from '../../core/input/schema-fields';
import { escapeMrkdwn } from '../../tools/slack/blocks/mrkdwn';

/** `• \`amount\` _number, required_ — invoice amount` */
export function fieldLine(field: SchemaField): string {
  return `• \`${field.name}\` _${escapeMrkdwn(fieldType(field))}_${field.description ? ` — ${escapeMrkdwn(field.description)}` : ''}`;
}

const placeholder: Record<SchemaField['type'], (field: SchemaField) => string> = {
  string: () => '"…"',
  number: () => '100',
  integer: () => '1',
  boolean: () => 'yes',
  enum: (field) => field.options?.[0] ?? '…',
  list: () => 'a,b',
  json: () => '{}',
};

/** `vendor="…" amount=100`: the required inputs, for workflows without an `example`. */
export function exampleArgs(fields: readonly SchemaField[]): string {
  return fields
    .filter((f) => f.required)
    .map((f) => `${f.name}=${placeholder[f.type](f)}`)
    .join(' ');
}
