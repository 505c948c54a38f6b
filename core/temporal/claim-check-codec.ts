import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { BlobStore } from '../blobs/store';
import { ErrorCode, PantheonError } from '../errors';

/**
 * The claim-check pattern for every payload: one larger than the threshold is kept in the blob
 * store and Temporal's history holds only its address, so no run reaches Temporal's 2 MB payload
 * limit (or bloats its history) however large the files it handles. Runs after the encryption
 * codec, so the blob store holds ciphertext when encryption is on.
 */
export const CLAIM_CHECK_ENCODING = 'pantheon/claim-check';
/** Why a claimed payload whose blob is gone decodes to a refused value (a failed decode would wedge the run). */
export const MISSING_BLOB_REASON = 'a payload kept in the blob store that is no longer there';

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

export class ClaimCheckCodec implements PayloadCodec {
  constructor(
    private readonly store: BlobStore,
    private readonly thresholdBytes: number,
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        const bytes = PayloadMessage.encode(payload).finish();
        if (bytes.length <= this.thresholdBytes) return payload;
        const ref = await this.store.put(bytes, { contentType: 'application/x-temporal-payload' });
        return {
          metadata: { [METADATA_ENCODING_KEY]: Buffer.from(CLAIM_CHECK_ENCODING) },
          data: Buffer.from(JSON.stringify({ blobRef: ref.blobRef, size: ref.size })),
        };
      }),
    );
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== CLAIM_CHECK_ENCODING) return payload;
        let blobRef: unknown;
        try {
          blobRef = (JSON.parse(text(payload.data) ?? '') as { blobRef?: unknown }).blobRef;
        } catch {
          return refused('a malformed claim check');
        }
        if (typeof blobRef !== 'string') return refused('a malformed claim check');
        try {
          return PayloadMessage.decode(await this.store.get(blobRef));
        } catch (error) {
          // Gone or never there (a forged reference) → a refused value, as a bad payload is; the
          // store being unreachable → a failed decode, which Temporal retries.
          if (error instanceof PantheonError && error.code !== ErrorCode.BlobTooLarge)
            return refused(MISSING_BLOB_REASON);
          throw error;
        }
      }),
    );
  }
}

function refused(reason: string): Payload {
  return {
    metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/plain') },
    data: Buffer.from(JSON.stringify({ $refused: reason })),
  };
}

function text(value: Uint8Array | null | undefined): string | undefined {
  return value ? Buffer.from(value.buffer, value.byteOffset, value.length).toString() : undefined;
}
