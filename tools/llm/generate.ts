import type { z } from 'zod';
import type { CallOptions, LlmRouter } from './router';
import type { llmGenerateInput, llmGenerateOutput } from './specs';
import { schemaFromJson } from './structured-output';

/** llm.generate: plain generation, or structured output validated against the input's JSON Schema. */
export async function runLlmGenerate(
  router: LlmRouter,
  { structured, ...input }: z.output<typeof llmGenerateInput>,
  options: CallOptions = {},
): Promise<z.input<typeof llmGenerateOutput>> {
  if (!structured) return router.generate(input, options);
  const { schema, name, description, maxRepairs } = structured;
  return router.generateStructured(
    input,
    schemaFromJson(schema),
    { jsonSchema: schema, name, description, maxRepairs },
    options,
  );
}
