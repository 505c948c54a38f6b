import Module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DataConverter, LoadedDataConverter } from '@temporalio/common';
import { blobConfigSchema, blobConfigShape, type BlobConfig } from '../blobs/config';
import { createBlobStore, type BlobStore } from '../blobs/store';
import type { CoreConfig } from '../config';
import { ClaimCheckCodec } from './claim-check-codec';
import { createEncryptionCodec } from './encryption-codec';
import { failureConverter } from './failure-converter';
import { payloadConverter } from './payload-converter';

/** For `bundleWorkflowCode({ payloadConverterPath })`: webpack bundles it into the workflow sandbox. */
export const payloadConverterPath = fileURLToPath(new URL('./payload-converter.ts', import.meta.url));
/** Likewise `failureConverterPath`: failures are encoded (and so encrypted) in the sandbox too. */
export const failureConverterPath = fileURLToPath(new URL('./failure-converter.ts', import.meta.url));

/**
 * One object for both sides. `Client` sees `payloadConverter` and uses the object as already loaded;
 * `Worker.create` reads `payloadConverterPath` (to bundle workflows and to `require()` the converter
 * for activities) and `payloadCodecs`.
 */
export type PantheonDataConverter = DataConverter &
  LoadedDataConverter & { payloadConverterPath: string; failureConverterPath: string };

/**
 * Codecs run in order on encode (reverse on decode): encryption first, then the claim check, so
 * a large payload reaches the blob store already encrypted. Blob settings absent from `config`
 * take their defaults. `blobs` overrides the store the settings describe (tests share one).
 */
export function createDataConverter(
  config: Pick<CoreConfig, 'PAYLOAD_ENCRYPTION_KEYS' | 'PAYLOAD_ENCRYPTION_KEY_ID'> &
    Partial<Pick<CoreConfig, 'PAYLOAD_ENCRYPTION_ALLOW_PLAINTEXT'>> &
    Partial<BlobConfig>,
  blobs?: BlobStore,
): PantheonDataConverter {
  registerModule(payloadConverterPath, { payloadConverter });
  registerModule(failureConverterPath, { failureConverter });
  const codec = createEncryptionCodec(config);
  const blobSettings = withBlobDefaults(config);
  const claimCheck = new ClaimCheckCodec(
    blobs ?? createBlobStore(blobSettings),
    blobSettings.PAYLOAD_CLAIM_CHECK_BYTES,
  );
  return {
    payloadConverterPath,
    payloadConverter,
    failureConverterPath,
    failureConverter,
    payloadCodecs: codec ? [codec, claimCheck] : [claimCheck],
  };
}

function withBlobDefaults(config: Partial<BlobConfig>): BlobConfig {
  const defaults = blobConfigSchema.parse({});
  const given = Object.fromEntries(
    Object.entries(config).filter(([key, value]) => key in blobConfigShape && value !== undefined),
  );
  return { ...defaults, ...given };
}

/**
 * The worker `require()`s payloadConverterPath and failureConverterPath, .ts files Node cannot load by itself (under vitest
 * nothing hooks require). Putting the module we already imported into require's cache makes that
 * work everywhere, and the worker shares this very converter instance.
 */
function registerModule(path: string, exports: object): void {
  const require = createRequire(import.meta.url);
  const filename = require.resolve(path);
  if (require.cache[filename]) return;
  const module = new Module(filename);
  module.filename = filename;
  module.exports = exports;
  module.loaded = true;
  require.cache[filename] = module;
}
