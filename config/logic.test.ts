import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineLogic } from '../core/workflow/logic';
import { createLogicRegistry, loadLogic, logicFilesIn } from './logic';

const defineLogicPath = JSON.stringify(join(import.meta.dirname, '..', 'core', 'workflow', 'logic.ts'));
const logicFile = (exported: string, name = exported) => `
import { z } from 'zod';
import { defineLogic } from ${defineLogicPath};
export const ${exported} = defineLogic({ name: '${name}', description: 'double', input: z.number(), output: z.number(), run: (n) => n * 2 });
export const notLogic = 42;
`;

function workflowsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pantheon-logic-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('the business-logic catalogue', () => {
  it('is every defineLogic export of workflows/<area>/logic/*.ts, named <area>/logic/<file>.<name>', async () => {
    const dir = workflowsDir({
      'hello.ts': '', // a workflow, not logic
      'finance/logic/doubling.ts': logicFile('double'),
      'finance/logic/doubling.test.ts': '',
      'finance/helpers.ts': '',
      'empty-area/readme.md': '',
    });
    expect(logicFilesIn(dir)).toEqual([join(dir, 'finance', 'logic', 'doubling.ts')]);
    const found = await loadLogic(dir);
    expect(found.map((f) => [f.fqn, f.file, f.logic.name])).toEqual([
      ['finance/logic/doubling.double', join(dir, 'finance', 'logic', 'doubling.ts'), 'double'],
    ]);
  });

  it('refuses a function exported under another name than its own, naming the fix', async () => {
    const dir = workflowsDir({ 'finance/logic/doubling.ts': logicFile('twice', 'double') });
    await expect(loadLogic(dir)).rejects.toThrow(
      /exports defineLogic\(\{ name: 'double' \}\) as "twice": export it under its name/,
    );
  });

  it('refuses a file name that would not read as a name', async () => {
    const dir = workflowsDir({ 'finance/logic/Doubling.ts': logicFile('double') });
    await expect(loadLogic(dir)).rejects.toThrow(/the file name "Doubling" must be kebab-case/);
  });

  it('refuses a name that is not an identifier', () => {
    expect(() =>
      defineLogic({
        name: 'late-fee',
        description: '',
        input: z.number(),
        output: z.number(),
        run: (n) => n,
      }),
    ).toThrow(/"late-fee" is not a valid name; use an identifier such as computeLateFee/);
  });

  it('holds the repository’s functions, with suggestions for a near miss', async () => {
    const registry = await createLogicRegistry();
    expect(registry.list().map((f) => f.fqn)).toContain('invoices/logic/late-fee.computeLateFee');
    expect(() => registry.get('invoices/logic/late-fee.computeLateFees')).toThrow(
      /Did you mean "invoices\/logic\/late-fee\.computeLateFee"/,
    );
  });
});
