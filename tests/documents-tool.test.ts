import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskQueueFor } from '../core/config';
import { startFixtureWorker, type FixtureWorker } from './support/fixture-worker';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '..', 'tools', 'documents', 'fixtures', name)).toString('base64');

/**
 * The documents tool as the worker loads it (found by folder), through a real Temporal server:
 * a test workflow (tests/fixtures/documents/workflows.ts) runs every documents activity by its
 * spec, so each lands on its tier's queue — heavy for files, light for documents.transform — and
 * a corrupt file fails the run once, without retries.
 */
describe('documents tool through Temporal', () => {
  let stack: Stack;
  let workflows: FixtureWorker;
  let heavy: string;
  beforeAll(async () => {
    stack = await startStack({}, { workers: false });
    await stack.startWorkers(['light', 'heavy']);
    heavy = taskQueueFor(stack.config, 'heavy');
    workflows = await startFixtureWorker(stack, 'documents');
  });
  afterAll(async () => {
    await workflows?.close();
    await stack?.close();
  });

  /** [activity, task queue] of every activity the run scheduled, in order. */
  async function activitiesOf(workflowId: string): Promise<[string, string][]> {
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    return history
      .events!.filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => [
        e.activityTaskScheduledEventAttributes!.activityType!.name!,
        e.activityTaskScheduledEventAttributes!.taskQueue!.name!,
      ]);
  }

  it('reads an email, its PDF attachment, a scan and a workbook, and transforms the rows', async () => {
    const workflowId = `documents-${randomUUID()}`;
    const result = await stack.client.workflow.execute('documentsIntake', {
      taskQueue: heavy,
      workflowId,
      args: [{ eml: fixture('message.eml'), png: fixture('scanned.png'), xlsx: fixture('workbook.xlsx') }],
      workflowExecutionTimeout: '2 minutes',
    });
    const expected = {
      rows: [
        { item: 'Paper A4', Quantity: 10, 'Unit price': 4.5, check: 45 },
        { item: 'Toner black', Quantity: 2, 'Unit price': 79.9, check: 159.8 },
        { item: 'Stapler', Quantity: 1, 'Unit price': 12, check: 12 },
      ],
      columns: ['item', 'Quantity', 'Unit price', 'check'],
      errors: [],
    };
    expect(result).toEqual({
      subject: 'Invoice 42 for December',
      headers: ['Item', 'Quantity', 'Unit price', 'Total'],
      ocrText: expect.stringContaining('Received by Warehouse Berlin'),
      islands: ['Sales!B2:E6', 'Sales!B9:D11', 'Notes!A1:A1'],
      inWorkflow: expected,
      viaActivity: expected,
    });
    const light = taskQueueFor(stack.config, 'light');
    expect(await activitiesOf(workflowId)).toEqual([
      ['documents.parseEmail', heavy],
      ['documents.pdfText', heavy],
      ['documents.ocr', heavy],
      ['documents.readSheet', heavy],
      ['documents.transform', light],
    ]);
  });

  it('carries a file just under the default DOCUMENTS_MAX_BYTES (1 MiB) through Temporal', async () => {
    const doc = await PDFDocument.create();
    doc
      .addPage([200, 100])
      .drawText('Padded', { x: 10, y: 50, font: await doc.embedFont(StandardFonts.Helvetica) });
    // Random bytes do not compress: the attachment keeps the file near its size.
    await doc.attach(randomBytes(1_020_000), 'padding.bin', { mimeType: 'application/octet-stream' });
    const bytes = await doc.save();
    expect(bytes.length).toBeGreaterThan(1_000_000);
    expect(bytes.length).toBeLessThanOrEqual(stack.config.DOCUMENTS_MAX_BYTES);
    const result = await stack.client.workflow.execute('documentsPdf', {
      taskQueue: heavy,
      workflowId: `documents-big-${randomUUID()}`,
      args: [{ base64: Buffer.from(bytes).toString('base64') }],
      workflowExecutionTimeout: '1 minute',
    });
    expect(result).toMatchObject({ pageCount: 1, pages: [{ text: 'Padded' }] });
  });

  it('fails a corrupt PDF once, as a non-retryable DocumentInvalid the workflow sees', async () => {
    const workflowId = `documents-bad-${randomUUID()}`;
    const error: unknown = await stack.client.workflow
      .execute('documentsPdf', {
        taskQueue: heavy,
        workflowId,
        args: [{ base64: Buffer.from('%PDF-1.7\nnot really a pdf').toString('base64') }],
        workflowExecutionTimeout: '1 minute',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activity = (error as WorkflowFailedError).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect(activity?.cause).toBeInstanceOf(ApplicationFailure);
    expect(activity?.cause).toMatchObject({
      type: 'DocumentInvalid',
      nonRetryable: true,
      message: expect.stringMatching(/^documents\.pdfText: the file is not a readable PDF/),
    });
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes);
    expect(attempts.map((e) => e.activityTaskStartedEventAttributes!.attempt)).toEqual([1]);
  });
});
