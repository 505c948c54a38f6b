import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlobStore } from '../core/blobs/store';
import { startFakeServer } from '../tools/llm/testing/fake-server';
import type { FakeServer } from '../tools/llm/testing/fake-server';
import { openAiChat } from '../tools/llm/testing/wire';
import type { documentIntakeDefinition } from '../workflows/document-intake';
import { runPantheon } from './support/pantheon-cli';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

/**
 * The document-intake sample as a person runs it from the terminal: `pantheon run document-intake
 * file=@…` uploads the file to the blob store; the run reads it on the heavy tier (documents.*),
 * maps its table with the model (a local server speaking OpenAI's wire format), keeps the rows in
 * its own schema (repository.*) and returns a CSV in the blob store.
 */
type Output = z.output<typeof documentIntakeDefinition.output>;

const fixtures = join(import.meta.dirname, '..', 'tools', 'documents', 'fixtures');
let openai: FakeServer;
let stack: Stack;

beforeAll(async () => {
  openai = await startFakeServer(() =>
    openAiChat({
      content: JSON.stringify({
        mappings: [
          { target: 'name', source: 'name', transform: 'trim', confidence: 0.99, note: null },
          { target: 'city', source: 'city', transform: 'copy', confidence: 0.95, note: null },
          { target: 'amount', source: 'amount', transform: 'number', confidence: 0.9, note: null },
        ],
      }),
    }),
  );
  stack = await startStack({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${openai.url}/v1`,
    LLM_MODELS: JSON.stringify({ smart: { provider: 'openai', model: 'gpt-4o-mini' } }),
    LLM_CACHE_ENABLED: 'false',
  });
});
afterAll(async () => {
  await stack?.close();
  await openai?.close();
});

const pantheon = (...args: string[]) => runPantheon(args, stack.env);

describe('document-intake', () => {
  it('reads a CSV uploaded with file=@, maps it with the model, keeps the rows and returns a CSV', async () => {
    const { code, stdout, stderr } = await pantheon(
      'run',
      'document-intake',
      `file=@${join(fixtures, 'contacts.csv')}`,
      'target={"columns":["name","city",{"name":"amount","type":"number"}]}',
    );
    expect(stderr).toContain('✅ document-intake completed');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Output;
    expect(result).toMatchObject({
      document: 'contacts.csv',
      source: expect.stringMatching(/^sheet csv A1:D4$/),
      columns: ['name', 'city', 'amount'],
      rowCount: 3,
      preview: [
        ['Lovelace, Ada', 'London', 1200.5],
        ['Alan Turing', 'Wilmslow', 99],
        ['Grace "Amazing" Hopper', 'New York', null],
      ],
    });
    const csv = (await createBlobStore(stack.config).get(result.csv!)).toString();
    expect(csv).toBe(
      'name,city,amount\r\n"Lovelace, Ada",London,1200.5\r\nAlan Turing,Wilmslow,99\r\n"Grace ""Amazing"" Hopper",New York,\r\n',
    );
    const { rows } = await stack.db.query<{ row_number: number; data: unknown }>(
      'SELECT row_number, data FROM wf_document_intake.rows WHERE document = $1 ORDER BY row_number',
      [await documentRef(join(fixtures, 'contacts.csv'))],
    );
    expect(rows).toEqual([
      { row_number: 1, data: { name: 'Lovelace, Ada', city: 'London', amount: 1200.5 } },
      { row_number: 2, data: { name: 'Alan Turing', city: 'Wilmslow', amount: 99 } },
      { row_number: 3, data: { name: 'Grace "Amazing" Hopper', city: 'New York', amount: null } },
    ]);
  }, 120_000);

  it('keeps a workbook’s largest table as it is when no target is given', async () => {
    const { code, stdout } = await pantheon(
      'run',
      'document-intake',
      `file=@${join(fixtures, 'workbook.xlsx')}`,
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Output;
    expect(result.source).toMatch(/^sheet /);
    expect(result.rowCount).toBeGreaterThan(0);
    expect(result.columns.length).toBeGreaterThan(1);
  }, 120_000);

  it('fails a corrupt PDF with a clear error and keeps nothing of it; a missing file never starts a run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'intake-'));
    writeFileSync(join(dir, 'broken.pdf'), '%PDF-1.7\nthis is not really a PDF\n');
    const broken = await pantheon('run', 'document-intake', `file=@${join(dir, 'broken.pdf')}`);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/❌ document-intake failed .*DocumentInvalid/);
    const { rows } = await stack.db.query('SELECT 1 FROM wf_document_intake.rows WHERE document = $1', [
      await documentRef(join(dir, 'broken.pdf')),
    ]);
    expect(rows).toEqual([]);

    const missing = await pantheon('run', 'document-intake', 'file=@/nowhere/scan.pdf');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('file=@/nowhere/scan.pdf: no such file');
  }, 120_000);
});

/** The address the blob store gives a file: what the run keys its rows by. */
async function documentRef(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { createHash } = await import('node:crypto');
  return `blob:sha256:${createHash('sha256')
    .update(await readFile(path))
    .digest('hex')}`;
}
