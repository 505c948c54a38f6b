import {
  BinaryPayloadConverter,
  CompositePayloadConverter,
  encodingTypes,
  JsonPayloadConverter,
  PayloadConverterError,
  UndefinedPayloadConverter,
  ValueError,
  type Payload,
  type PayloadConverterWithEncoding,
} from '@temporalio/common';
import { base64ToBytes, bytesToBase64 } from './base64';
import { RefusedPayload } from './refused-payload';

/**
 * The payload converter of every client, worker and workflow (Temporal loads it by the name
 * `payloadConverter`). Plain JSON stays `json/plain` so the Temporal UI shows it as is; values JSON
 * would mangle become single-key tag objects, readable in the UI too:
 *
 *   Date        {"$date": "2024-05-01T12:00:00.000Z"}
 *   BigInt      {"$bigint": "9007199254740993"}
 *   Uint8Array  {"$bytes": "<base64>"}       Buffer  {"$buffer": "<base64>"}
 *   Map         {"$map": [[key, value], ...]} Set     {"$set": [value, ...]}
 *   refused     {"$refused": "<why>"}  (decoded only: a payload the codec would not accept)
 *
 * A user object that looks like a tag (one key, a tag name) is wrapped as {"$escape": {...}} so it
 * comes back unchanged. This file is bundled into the workflow sandbox: no Node builtins, and
 * `Buffer` only when the host has it (decoded Buffers are plain Uint8Arrays inside workflows).
 */
const TAGS = new Set(['$date', '$bigint', '$bytes', '$buffer', '$map', '$set', '$escape', '$refused']);

type JsonObject = Record<string, unknown>;

function nodeBuffer(): typeof Buffer | undefined {
  return (globalThis as { Buffer?: typeof Buffer }).Buffer;
}

function isBuffer(value: Uint8Array): boolean {
  return nodeBuffer()?.isBuffer(value) ?? false;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null;
}

function tagOf(object: JsonObject): string | undefined {
  const keys = Object.keys(object);
  return keys.length === 1 && TAGS.has(keys[0]!) ? keys[0] : undefined;
}

function hasToJSON(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * Replace special values by tags before JSON.stringify, which would otherwise call Date#toJSON and
 * Buffer#toJSON before any replacer sees them. Everything else follows JSON.stringify's rules.
 */
function toJsonTree(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (!isObject(value)) return value;
  if (value instanceof Date)
    return { $date: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() };
  if (value instanceof Uint8Array) return { [isBuffer(value) ? '$buffer' : '$bytes']: bytesToBase64(value) };

  if (ancestors.has(value))
    throw new ValueError('Cannot convert a value with a circular reference to a payload');
  ancestors.add(value);
  try {
    const walk = (item: unknown) => toJsonTree(item, ancestors);
    if (Array.isArray(value)) return value.map(walk);
    if (value instanceof Map) return { $map: [...value].map(([k, v]) => [walk(k), walk(v)]) };
    if (value instanceof Set) return { $set: [...value].map(walk) };
    if (hasToJSON(value)) {
      const json = value.toJSON();
      if (json !== value) return walk(json);
    }
    // Drop what JSON.stringify drops now, so the tag check below sees the keys that get written.
    const entries = Object.entries(value)
      .map(([key, item]) => [key, walk(item)] as const)
      .filter(([, item]) => item !== undefined && typeof item !== 'function' && typeof item !== 'symbol');
    const object: JsonObject = Object.fromEntries(entries);
    return tagOf(object) === undefined ? object : { $escape: object };
  } finally {
    ancestors.delete(value);
  }
}

function malformed(tag: string): never {
  throw new PayloadConverterError(`Malformed ${tag} tag in a json/plain payload`);
}

function fromJsonTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJsonTree);
  if (!isObject(value)) return value;
  const tag = tagOf(value);
  const inner = tag === undefined ? undefined : value[tag];
  const text = typeof inner === 'string' ? inner : undefined;
  const list = Array.isArray(inner) ? (inner as unknown[]) : undefined;
  switch (tag) {
    case '$date':
      return text === undefined ? malformed(tag) : new Date(text);
    case '$bigint':
      return text === undefined ? malformed(tag) : BigInt(text);
    case '$bytes':
      return text === undefined ? malformed(tag) : base64ToBytes(text);
    case '$buffer': {
      if (text === undefined) return malformed(tag);
      const bytes = base64ToBytes(text);
      return nodeBuffer()?.from(bytes.buffer, bytes.byteOffset, bytes.length) ?? bytes;
    }
    case '$map':
      return list === undefined
        ? malformed(tag)
        : new Map(
            list.map((entry) =>
              Array.isArray(entry) ? [fromJsonTree(entry[0]), fromJsonTree(entry[1])] : malformed(tag),
            ),
          );
    case '$set':
      return list === undefined ? malformed(tag) : new Set(list.map(fromJsonTree));
    case '$refused': // the codec refused a plaintext payload: see encryption-codec.ts
      return new RefusedPayload(text ?? 'refused');
    case '$escape': // the wrapped object is user data, not a tag
      return isObject(inner) && !Array.isArray(inner) ? mapValues(inner, fromJsonTree) : malformed(tag);
    default:
      return mapValues(value, fromJsonTree);
  }
}

function mapValues(object: JsonObject, fn: (value: unknown) => unknown): JsonObject {
  // fromEntries (not assignment) so a "__proto__" key stays a plain own property.
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, fn(item)]));
}

/** `json/plain` with tags; reads any json/plain payload, including ones written by the default converter. */
export class TaggedJsonPayloadConverter implements PayloadConverterWithEncoding {
  readonly encodingType = encodingTypes.METADATA_ENCODING_JSON;
  private readonly json = new JsonPayloadConverter();

  toPayload(value: unknown): Payload | undefined {
    // A top-level Uint8Array stays `binary/plain`; a Buffer is tagged so it comes back as a Buffer.
    if (value === undefined || (value instanceof Uint8Array && !isBuffer(value))) return undefined;
    return this.json.toPayload(toJsonTree(value, new Set()));
  }

  fromPayload<T>(payload: Payload): T {
    return fromJsonTree(this.json.fromPayload(payload)) as T;
  }
}

export const payloadConverter = new CompositePayloadConverter(
  new UndefinedPayloadConverter(),
  new TaggedJsonPayloadConverter(),
  new BinaryPayloadConverter(),
);
