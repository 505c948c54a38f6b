import { z } from 'zod';
import { optionalString, positiveInt } from '../config-fields';

/** Where blobs live; every process that reads or writes payloads (worker, bot, CLI) needs the same. */
export const blobConfigShape = {
  BLOB_STORE: z
    .enum(['fs', 'gcs'])
    .default('fs')
    .describe('where files and large payloads are kept: fs (a local folder) or gcs (a Cloud Storage bucket)'),
  BLOB_DIR: z
    .string()
    .min(1)
    .default('.pantheon/blobs')
    .describe('folder of the fs blob store (relative to the working directory)'),
  BLOB_GCS_BUCKET: optionalString.describe('the Cloud Storage bucket of the gcs blob store'),
  BLOB_GCS_PREFIX: z
    .string()
    .regex(/^[\w./-]*$/)
    .default('pantheon/blobs')
    .describe('object name prefix in the gcs bucket (letters, digits, . _ - /)'),
  BLOB_GCS_API_ENDPOINT: optionalString.describe(
    'Cloud Storage API base URL (default Google’s; set for a private endpoint or an emulator)',
  ),
  BLOB_MAX_BYTES: positiveInt
    .default(100 * 1024 * 1024)
    .describe('largest blob accepted, in bytes (default 100 MB)'),
  PAYLOAD_CLAIM_CHECK_BYTES: positiveInt
    .default(256 * 1024)
    .describe(
      'payloads larger than this many bytes go to the blob store and travel as a reference (Temporal refuses payloads over 2 MB)',
    ),
} as const;

export const blobConfigSchema = z.object(blobConfigShape);
export type BlobConfig = z.output<typeof blobConfigSchema>;
