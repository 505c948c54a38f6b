import { z } from 'zod';
import { positiveInt } from '../../core/config-fields';

/**
 * Settings of the documents tool (tools/documents), merged into config/index.ts. Limits only: a
 * file's content comes in the activity input (base64, bounded by DOCUMENTS_MAX_BYTES) or, later,
 * as a blob reference — never as a path on the worker's file system.
 */
export const documentsToolConfigShape = {
  // 1 MiB is 1.4 MB as base64: with the rest of the input and the encryption codec's overhead it
  // stays under Temporal's 2 MB payload limit (1.5 MB would be exactly 2 MiB of base64, refused
  // by the server before the tool saw it).
  DOCUMENTS_MAX_BYTES: positiveInt
    .default(1_048_576)
    .describe(
      'largest file (decoded bytes) a documents.* activity accepts inline as base64 (default 1 MiB, under the 2 MB Temporal payload limit); larger files go by blob reference',
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
