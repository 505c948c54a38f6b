import { z } from 'zod';

/** A flat view of an object schema's fields, for help text, CLI/Slack parsing and Slack modals. */
export interface SchemaField {
  readonly name: string;
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'list' | 'json';
  readonly required: boolean;
  readonly description?: string;
  readonly defaultValue?: unknown;
  readonly options?: readonly string[];
  readonly itemType?: SchemaField['type'];
}

type Def = {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  checks?: unknown[];
};
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Unwraps optional/default/nullable and reports what it found on the way. */
function unwrap(schema: z.ZodType): {
  inner: z.ZodType;
  optional: boolean;
  defaultValue?: unknown;
  description?: string;
} {
  let inner = schema;
  let optional = false;
  let defaultValue: unknown;
  let description = schema.description;
  for (;;) {
    const def = defOf(inner);
    if (def.type === 'optional' || def.type === 'nullable') optional = true;
    else if (def.type === 'default' || def.type === 'prefault') {
      optional = true;
      defaultValue = def.defaultValue;
    } else break;
    inner = def.innerType!;
    description ??= inner.description;
  }
  return { inner, optional, defaultValue, description };
}

function typeOf(schema: z.ZodType): Pick<SchemaField, 'type' | 'options'> {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: schema instanceof z.ZodNumber && schema.isInt ? 'integer' : 'number' };
    case 'int':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'enum', options: Object.values(def.entries ?? {}).map(String) };
    case 'array':
      return { type: 'list' };
    default:
      return { type: 'json' };
  }
}

export function schemaFields(schema: z.ZodType): SchemaField[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, fieldSchema]) => {
    const { inner, optional, defaultValue, description } = unwrap(fieldSchema);
    const { type, options } = typeOf(inner);
    const element = type === 'list' ? defOf(inner).element : undefined;
    return {
      name,
      type,
      required: !optional,
      description,
      defaultValue,
      options,
      itemType: element ? typeOf(unwrap(element).inner).type : undefined,
    };
  });
}

/** `number, required` · `USD | EUR | GBP, default "USD"` · `list of string, optional`. */
export function fieldType(field: SchemaField): string {
  const type =
    field.type === 'enum'
      ? (field.options ?? []).join(' | ')
      : field.type === 'list'
        ? `list of ${field.itemType ?? 'values'}`
        : field.type;
  const requirement = field.required
    ? 'required'
    : field.defaultValue !== undefined
      ? `default ${JSON.stringify(field.defaultValue)}`
      : 'optional';
  return `${type}, ${requirement}`;
}

/** `amount (number, required): invoice amount` style one-liners. */
export function describeField(field: SchemaField): string {
  return `${field.name} (${fieldType(field)})${field.description ? `: ${field.description}` : ''}`;
}
