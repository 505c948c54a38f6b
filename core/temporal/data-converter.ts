import Module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DataConverter, LoadedDataConverter } from '@temporalio/common';
import type { CoreConfig } from '../config';
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

export function createDataConverter(
  config: Pick<CoreConfig, 'PAYLOAD_ENCRYPTION_KEYS' | 'PAYLOAD_ENCRYPTION_KEY_ID'> &
    Partial<Pick<CoreConfig, 'PAYLOAD_ENCRYPTION_ALLOW_PLAINTEXT'>>,
): PantheonDataConverter {
  registerModule(payloadConverterPath, { payloadConverter });
  registerModule(failureConverterPath, { failureConverter });
  const codec = createEncryptionCodec(config);
  return {
    payloadConverterPath,
    payloadConverter,
    failureConverterPath,
    failureConverter,
    payloadCodecs: codec ? [codec] : [],
  };
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
