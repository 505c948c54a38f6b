import { createHash } from 'node:crypto';
import { createTraceId } from '@langfuse/tracing';
import { describe, expect, it } from 'vitest';
import { rootSpanIdForWorkflow, sha256Hex, traceIdForWorkflow } from './trace-id';

describe('trace ids of runs', () => {
  it('is SHA-256, byte for byte, on ASCII, multi-byte text and block edges', () => {
    for (const text of [
      '',
      'abc',
      'invoice-review-1a2b3c4d',
      'é✓𝄞 run',
      'x'.repeat(55),
      'y'.repeat(56),
      'z'.repeat(64),
      'w'.repeat(1000),
    ]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });

  it("equals Langfuse's createTraceId(workflowId), so scores by run land in the run's trace", async () => {
    expect(traceIdForWorkflow('agent-42')).toBe(await createTraceId('agent-42'));
    expect(traceIdForWorkflow('agent-42')).toMatch(/^[0-9a-f]{32}$/);
    expect(rootSpanIdForWorkflow('agent-42')).toMatch(/^[0-9a-f]{16}$/);
  });
});
