import { z } from 'zod';

/**
 * A file or large value kept in the blob store, passed between activities instead of its bytes
 * (the claim-check pattern): Temporal keeps every payload in history and refuses those over 2 MB.
 * Content-addressed, so storing the same bytes twice (a retried activity) gives the same reference.
 * Workflow-safe: workflows pass references around; only activities read the bytes.
 */
export const blobRefSchema = z.object({
  blobRef: z
    .string()
    .regex(/^blob:sha256:[0-9a-f]{64}$/, 'a blob reference looks like blob:sha256:<64 hex digits>')
    .describe('the stored content’s address: blob:sha256:<hex digest of the bytes>'),
  size: z.number().int().nonnegative().describe('size of the content in bytes'),
  contentType: z
    .string()
    .min(1)
    .default('application/octet-stream')
    .describe('MIME type of the content, e.g. application/pdf'),
  name: z.string().min(1).max(255).optional().describe('a file name for people, e.g. invoice-42.pdf'),
});

export type BlobRef = z.output<typeof blobRefSchema>;
