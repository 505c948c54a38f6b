import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLoadedDataConverter, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createDataConverter, payloadConverterPath } from './data-converter';
import { ClaimCheckCodec } from './claim-check-codec';
import { EncryptionCodec } from './encryption-codec';
import { payloadConverter } from './payload-converter';

const noKeys = { PAYLOAD_ENCRYPTION_KEYS: undefined, PAYLOAD_ENCRYPTION_KEY_ID: undefined };

describe('createDataConverter', () => {
  it('points the worker at the payload converter file', () => {
    expect(existsSync(payloadConverterPath)).toBe(true);
    expect(createDataConverter(noKeys).payloadConverterPath).toBe(payloadConverterPath);
  });

  it('is used as already loaded by the Client, and always keeps large payloads by reference', () => {
    const converter = createDataConverter(noKeys);
    expect(isLoadedDataConverter(converter)).toBe(true);
    expect(converter.payloadConverter).toBe(payloadConverter);
    expect(converter.payloadCodecs).toEqual([expect.any(ClaimCheckCodec)]);
  });

  it('loads for the Worker, which require()s the .ts path (no require hook under vitest)', () => {
    const loaded = loadDataConverter(createDataConverter(noKeys));
    expect(loaded.payloadConverter).toBe(payloadConverter);
  });

  it('adds the encryption codec before the claim check when keys are configured', () => {
    const converter = createDataConverter({
      PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      PAYLOAD_ENCRYPTION_KEY_ID: undefined,
    });
    // Encryption first, so the claim check stores ciphertext.
    expect(converter.payloadCodecs).toEqual([expect.any(EncryptionCodec), expect.any(ClaimCheckCodec)]);
    expect(loadDataConverter(converter).payloadCodecs).toBe(converter.payloadCodecs);
  });

  it('bundles into the workflow sandbox (no Node builtins)', { timeout: 60_000 }, async () => {
    // Webpack resolves @temporalio/workflow from the workflows file, so it must live inside the project.
    const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'pantheon-bundle-'));
    try {
      const workflowsPath = join(dir, 'workflows.js');
      writeFileSync(workflowsPath, 'export async function noop() {}\n');
      const { code } = await bundleWorkflowCode({ workflowsPath, payloadConverterPath, logger: quietLogger });
      expect(code).toContain('TaggedJsonPayloadConverter');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (...args: unknown[]) => console.error(...args),
};
