import { z } from 'zod';
import { positiveInt } from '../../core/config-fields';

/**
 * Settings of the documents tool (tools/documents), merged into config/index.ts. Limits only: a
 * file's content comes in the activity input (base64, bounded by DOCUMENTS_MAX_BYTES) or, later,
 * as a blob reference — never as a path on the worker's file system.
 */
export const documentsToolConfigShape = {
  DOCUMENTS_MAX_BYTES: positiveInt
    .default(1_572_864)
    .describe(
      'largest file (decoded bytes) a documents.* activity accepts inline as base64 (default 1.5 MB); larger files go by blob reference',
    ),
  DOCUMENTS_MAX_PAGES: positiveInt
    .default(50)
    .describe(
      'most PDF pages documents.pdfText and documents.ocr read from one file (a call may ask for fewer)',
    ),
  DOCUMENTS_INLINE_ATTACHMENT_BYTES: positiveInt
    .default(131_072)
    .describe(
      'documents.parseEmail returns the content of an attachment (base64) only when it is at most this many bytes (default 128 KB)',
    ),
} as const;

export const documentsToolConfigSchema = z.object(documentsToolConfigShape);
export type DocumentsToolConfig = z.output<typeof documentsToolConfigSchema>;
