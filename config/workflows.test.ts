import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitionsIn, workflowDefinitions, workflowFiles, workflowFilesIn } from './workflows';

const definition = (extra = '') => `
import { z } from 'zod';
import { defineWorkflow } from ${JSON.stringify(join(import.meta.dirname, '..', 'core', 'workflow', 'workflow-definition.ts'))};
export const helloDefinition = defineWorkflow({ name: 'hello', description: 'Say hello', input: z.object({}), output: z.string() });
${extra}
`;

describe('the workflow catalogue', () => {
  it('is every workflow file of the folder: a new workflow is one file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantheon-workflows-'));
    writeFileSync(
      join(dir, 'hello.ts'),
      definition('export async function hello(): Promise<string> { return "hi"; }'),
    );
    writeFileSync(join(dir, 'hello.test.ts'), '');
    const files = workflowFilesIn(dir);
    expect(files).toEqual([join(dir, 'hello.ts')]);
    expect((await definitionsIn(files[0]!)).map((d) => [d.name, d.workflowType])).toEqual([
      ['hello', 'hello'],
    ]);
  });

  it('reads only the folder’s own files: a workflows/<area>/logic/ folder holds no workflow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantheon-workflows-'));
    writeFileSync(
      join(dir, 'hello.ts'),
      definition('export async function hello(): Promise<string> { return "hi"; }'),
    );
    mkdirSync(join(dir, 'invoices', 'logic'), { recursive: true });
    writeFileSync(join(dir, 'invoices', 'logic', 'late-fee.ts'), 'export const x = 1;');
    expect(workflowFilesIn(dir)).toEqual([join(dir, 'hello.ts')]);
    expect(workflowFiles.filter((file) => file.includes('/logic/'))).toEqual([]);
  });

  it('refuses a definition whose function is missing, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantheon-workflows-'));
    writeFileSync(join(dir, 'hello.ts'), definition());
    await expect(definitionsIn(join(dir, 'hello.ts'))).rejects.toThrow(
      /defines workflow "hello" but exports no function hello/,
    );
  });

  it('holds the repository’s workflows, one per file', () => {
    expect(workflowDefinitions.map((d) => d.name)).toEqual([
      'agent',
      'column-mapping',
      'contract-extraction',
      'document-intake',
      'expense-approval',
      'invoice-late-fee',
      'invoice-review',
    ]);
    expect(workflowFiles).toHaveLength(workflowDefinitions.length);
  });
});
