import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering (apps → features → core) and the workflow sandbox are lint rules. The repository's
 * own config lints a snippet as if it were an existing file of that folder. Only the rules under
 * test run, without type information: the typed rules and import-x/no-cycle build a program of
 * the whole tree per file, which took gigabytes of heap in one test process.
 */
const root = join(import.meta.dirname, '..');
const rules = ['import-x/no-restricted-paths', 'pantheon/sandbox-only', 'no-restricted-imports'];
const eslint = new ESLint({
  cwd: root,
  ruleFilter: ({ ruleId }) => rules.includes(ruleId),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});

/** Lints `code` as if it were `file` (an existing file, so the typed config accepts it). */
async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages
    .filter((m) => rules.includes(m.ruleId ?? ''))
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layering rule', () => {
  it.each([
    ['core/runs.ts', "import { Decider } from '../approvals/decider';\nexport const a = Decider;\n"],
    ['core/logger.ts', "import { loadConfig } from '../config';\nexport const a = loadConfig;\n"],
    ['core/workflow/budget-contract.ts', "import { main } from '../../cli/main';\nexport const a = main;\n"],
    ['tools/llm/router.ts', "import { startBot } from '../../bot/server';\nexport const a = startBot;\n"],
    ['approvals/decider.ts', "import { loadConfig } from '../config';\nexport const a = loadConfig;\n"],
    [
      'workflows/agent.ts',
      "import { tierHasWork } from '../worker/tier-worker';\nexport const a = tierHasWork;\n",
    ],
  ])('refuses an upward import in %s', async (file, code) => {
    // (Sandbox files also get the sandbox rule's message for the same import.)
    expect(await lint(file, code)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^import-x\/no-restricted-paths: /)]),
    );
  });

  it.each([
    ['bot/app.ts', "import { Decider } from '../approvals/decider';\nexport const a = Decider;\n"],
    ['cli/main.ts', "import { Runs } from '../core/runs';\nexport const a = Runs;\n"],
    ['approvals/decider.ts', "import { Runs } from '../core/runs';\nexport const a = Runs;\n"],
    [
      'approvals/testing/harness.ts',
      "import { loadConfig } from '../../config';\nexport const a = loadConfig;\n",
    ],
  ])('allows a downward import in %s', async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});

describe('the workflow sandbox rule', () => {
  it.each([
    [
      'workflows/agent.ts',
      "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
      'no-restricted-imports',
    ],
    [
      'tools/llm/workflow/budget.ts',
      "import OpenAI from 'openai';\nexport const a = OpenAI;\n",
      'no-restricted-imports',
    ],
    [
      'workflows/agent.ts',
      "import { LlmRouter } from '../tools/llm/router';\nexport const a = LlmRouter;\n",
      'pantheon/sandbox-only',
    ],
    [
      'approvals/workflow/signals.ts',
      "import { Decider } from '../decider';\nexport const a = Decider;\n",
      'pantheon/sandbox-only',
    ],
    // Business logic lives under workflows/: deterministic code, linted like a workflow.
    [
      'workflows/invoices/logic/late-fee.ts',
      "import pg from 'pg';\nexport const a = pg;\n",
      'no-restricted-imports',
    ],
    [
      'workflows/invoices/logic/late-fee.ts',
      "import { InvoicesTool } from '../../../tools/invoices/tool';\nexport const a = InvoicesTool;\n",
      'pantheon/sandbox-only',
    ],
  ])('refuses I/O in %s', async (file, code, rule) => {
    expect(await lint(file, code)).toEqual([expect.stringContaining(`${rule}: `)]);
  });

  it('allows sandbox files, and types from anywhere', async () => {
    const code = [
      "import { requestApproval } from '../approvals/workflow/request-approval';",
      "import { llmGenerate } from '../tools/llm/specs';",
      "import type { LlmRouter } from '../tools/llm/router';",
      'export const a = [requestApproval, llmGenerate];',
      'export type R = LlmRouter;',
      '',
    ].join('\n');
    expect(await lint('workflows/agent.ts', code)).toEqual([]);
  });
});
