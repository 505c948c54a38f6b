import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentsSpecs } from './specs';

/** Paths of object fields without a description, walking objects, arrays, unions and records. */
function undescribed(schema: z.ZodType, path: string, seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const inner = (s: unknown) => undescribed(s as z.ZodType, path, seen);
  switch (def.type) {
    case 'object':
      return Object.entries((schema as z.ZodObject).shape).flatMap(([key, field]) => [
        ...((field as z.ZodType).description ? [] : [`${path}.${key}`]),
        ...undescribed(field as z.ZodType, `${path}.${key}`, seen),
      ]);
    case 'array':
      return inner(def.element);
    case 'union':
      return (def.options as unknown[]).flatMap(inner);
    case 'record':
      return inner(def.valueType);
    case 'optional':
    case 'nullable':
    case 'default':
      return inner(def.innerType);
    case 'lazy':
      // A recursive schema (the expression tree): walk its definition once.
      if (seen.has(def.getter)) return [];
      seen.add(def.getter);
      return inner((def.getter as () => unknown)());
    default:
      return [];
  }
}

describe('documents specs', () => {
  it('describe every field of every input and output', () => {
    // The walk finds a missing description (so the check below is not vacuous).
    expect(undescribed(z.object({ a: z.array(z.object({ b: z.string() }).describe('d')) }), 'x')).toEqual([
      'x.a',
      'x.a.b',
    ]);
    for (const spec of documentsSpecs) {
      expect(undescribed(spec.input, `${spec.name} input`)).toEqual([]);
      expect(undescribed(spec.output, `${spec.name} output`)).toEqual([]);
    }
  });

  it('put file work on the heavy tier and the transformer on the light one', () => {
    expect(Object.fromEntries(documentsSpecs.map((spec) => [spec.name, spec.tier]))).toEqual({
      'documents.pdfText': 'heavy',
      'documents.ocr': 'heavy',
      'documents.readSheet': 'heavy',
      'documents.parseEmail': 'heavy',
      'documents.transform': 'light',
    });
    expect(documentsSpecs.every((spec) => !spec.sideEffecting && !spec.agentCallable)).toBe(true);
  });
});
