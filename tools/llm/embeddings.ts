/**
 * Embeddings in batches: providers cap inputs per request, so texts go in slices of `batchSize`
 * and the vectors come back in input order.
 */
export interface BatchResult {
  readonly vectors: readonly number[][];
  readonly inputTokens: number;
  readonly providerModel: string;
}

export interface BatchedEmbeddings {
  readonly vectors: number[][];
  readonly inputTokens: number;
  readonly providerModel: string;
}

export async function embedInBatches(
  texts: readonly string[],
  batchSize: number,
  embedBatch: (batch: readonly string[]) => Promise<BatchResult>,
): Promise<BatchedEmbeddings> {
  const vectors: number[][] = [];
  let inputTokens = 0;
  let providerModel = '';
  // One batch at a time: order is trivially kept and a rate limit hits one request, not many.
  for (let start = 0; start < texts.length; start += batchSize) {
    const batch = texts.slice(start, start + batchSize);
    const result = await embedBatch(batch);
    if (result.vectors.length !== batch.length) {
      throw new Error(
        `Embedding batch at ${start}: sent ${batch.length} texts, got ${result.vectors.length} vectors`,
      );
    }
    vectors.push(...result.vectors);
    inputTokens += result.inputTokens;
    providerModel = result.providerModel;
  }
  return { vectors, inputTokens, providerModel };
}
