import { z } from 'zod';

/** What a run modal carries in `private_metadata` (≤ 3,000 chars): the workflow and where the run reports. */
export const runModalMetadata = z.object({
  workflow: z.string().min(1),
  channel: z.string().min(1),
  threadTs: z.string().optional(),
  /** The command's response_url, to answer the submission where the command was typed. */
  responseUrl: z.url().optional(),
});
export type RunModalMetadata = z.output<typeof runModalMetadata>;

export const runModalCallbackId = 'pantheon.run';

export function readMetadata(text: string): RunModalMetadata | undefined {
  try {
    const parsed = runModalMetadata.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
