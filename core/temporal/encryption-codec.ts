import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { CoreConfig } from '../config';
import { ErrorCode, PantheonError } from '../errors';
import { REFUSED_PLAINTEXT_REASON } from './refused-payload';

/**
 * AES-256-GCM over the whole serialized payload (metadata included), so Temporal's server and UI
 * only ever see `binary/encrypted`. Each payload names its key in metadata: adding a new key as the
 * active one while keeping the old ones configured rotates keys without breaking running workflows.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

export interface EncryptionKeys {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const GENERATE_HINT = `generate a key with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

/**
 * Keys from PAYLOAD_ENCRYPTION_KEYS (`k1:BASE64,k2:BASE64`) and the active one from
 * PAYLOAD_ENCRYPTION_KEY_ID (default: the first). Undefined when no keys are configured.
 */
export function parseEncryptionKeys(
  config: Pick<CoreConfig, 'PAYLOAD_ENCRYPTION_KEYS' | 'PAYLOAD_ENCRYPTION_KEY_ID'>,
): EncryptionKeys | undefined {
  const { PAYLOAD_ENCRYPTION_KEYS: list, PAYLOAD_ENCRYPTION_KEY_ID: activeId } = config;
  if (list === undefined) {
    if (activeId !== undefined)
      invalid(`PAYLOAD_ENCRYPTION_KEY_ID is set to "${activeId}" but PAYLOAD_ENCRYPTION_KEYS is not set`);
    return undefined;
  }
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of list.split(',').entries()) {
    const [id = '', base64 = '', ...rest] = entry.trim().split(':');
    // Never echo the entry: it may be key material.
    if (rest.length > 0 || !/^[\w.-]+$/.test(id) || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
      invalid(
        `PAYLOAD_ENCRYPTION_KEYS must be comma-separated keyId:base64 entries (id of letters, digits, . _ -); entry ${index + 1} is not`,
      );
    }
    const key = Buffer.from(base64, 'base64');
    if (key.length !== KEY_BYTES) {
      invalid(
        `PAYLOAD_ENCRYPTION_KEYS key "${id}" is ${key.length} bytes; AES-256 needs ${KEY_BYTES} (${GENERATE_HINT})`,
      );
    }
    if (keys.has(id)) invalid(`PAYLOAD_ENCRYPTION_KEYS lists key "${id}" twice`);
    keys.set(id, key);
  }
  const activeKeyId = activeId ?? [...keys.keys()][0]!;
  if (!keys.has(activeKeyId)) {
    invalid(
      `PAYLOAD_ENCRYPTION_KEY_ID is "${activeKeyId}", which is not a key id in PAYLOAD_ENCRYPTION_KEYS (${[...keys.keys()].join(', ')})`,
    );
  }
  return { activeKeyId, keys };
}

function invalid(message: string): never {
  throw new PantheonError(ErrorCode.ConfigInvalid, message);
}

/**
 * What a plaintext payload decodes to while encryption is on: a `$refused` tag the payload
 * converter turns into a {@link RefusedPayload}. Replacing (not throwing) matters: a decode error
 * fails the whole workflow task, so one forged plaintext signal would wedge the run for good;
 * a refused value is simply invalid input to whatever schema reads it.
 */
function refusedPayload(): Payload {
  return {
    metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/plain') },
    data: Buffer.from(JSON.stringify({ $refused: REFUSED_PLAINTEXT_REASON })),
  };
}

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keys: EncryptionKeys,
    /** Pass plaintext payloads through (only while migrating history written before encryption). */
    private readonly allowPlaintext = false,
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  /**
   * Encrypted payloads are decrypted; anything else was written by a client without the key (a
   * forged signal or update, say) and is refused, unless PAYLOAD_ENCRYPTION_ALLOW_PLAINTEXT is on.
   */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) =>
      metadataText(payload, METADATA_ENCODING_KEY) === ENCRYPTED_ENCODING
        ? this.decrypt(payload)
        : this.allowPlaintext
          ? payload
          : refusedPayload(),
    );
  }

  private encrypt(payload: Payload): Payload {
    const { activeKeyId } = this.keys;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.keys.get(activeKeyId)!, iv);
    const ciphertext = Buffer.concat([
      cipher.update(PayloadMessage.encode(payload).finish()),
      cipher.final(),
    ]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA_KEY]: Buffer.from(activeKeyId),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = metadataText(payload, KEY_ID_METADATA_KEY);
    const key = keyId === undefined ? undefined : this.keys.keys.get(keyId);
    if (keyId === undefined || key === undefined) {
      throw new PantheonError(
        ErrorCode.DecryptionFailed,
        keyId === undefined
          ? `Encrypted payload has no ${KEY_ID_METADATA_KEY} metadata`
          : `Payload was encrypted with key "${keyId}", which is not in PAYLOAD_ENCRYPTION_KEYS (${[...this.keys.keys.keys()].join(', ')}); keep retired keys configured until no history needs them`,
        { keyId },
      );
    }
    const data = payload.data ?? new Uint8Array();
    try {
      if (data.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
      const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plaintext = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return PayloadMessage.decode(plaintext);
    } catch (cause) {
      throw new PantheonError(
        ErrorCode.DecryptionFailed,
        `Payload encrypted with key "${keyId}" failed to decrypt: it was altered, or the key material for "${keyId}" changed`,
        { keyId, cause: String(cause) },
      );
    }
  }
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value.buffer, value.byteOffset, value.length).toString() : undefined;
}

/** The codec for this config, or undefined when PAYLOAD_ENCRYPTION_KEYS is not set. */
export function createEncryptionCodec(
  config: Pick<CoreConfig, 'PAYLOAD_ENCRYPTION_KEYS' | 'PAYLOAD_ENCRYPTION_KEY_ID'> &
    Partial<Pick<CoreConfig, 'PAYLOAD_ENCRYPTION_ALLOW_PLAINTEXT'>>,
): EncryptionCodec | undefined {
  const keys = parseEncryptionKeys(config);
  return keys && new EncryptionCodec(keys, config.PAYLOAD_ENCRYPTION_ALLOW_PLAINTEXT ?? false);
}
