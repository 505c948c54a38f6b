import { join } from 'node:path';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * eslint.config.js forbids production code (core, bot, worker, tools, workflows, approvals, bin) to
 * import devtools; tests, test harnesses (*\/testing/) and bin/dev.ts may. The repository's own
 * config decides which `no-restricted-imports` setting a file gets; that setting is then run on a
 * snippet (without type information, so it takes milliseconds instead of a whole program).
 */
const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

const snippets = [
  "import { LocalSlackServer } from '@pantheon/local-slack';\nexport const a = LocalSlackServer;\n",
  "import { DEFAULT_WORKSPACE } from '@pantheon/local-slack/seed';\nexport const b = DEFAULT_WORKSPACE;\n",
  "import type { DnsRecord } from '../devtools/local-slack/mail/dkim';\nexport type C = DnsRecord;\n",
  "export { LocalDkim } from '@pantheon/local-slack/mail';\n",
];

async function devtoolsErrors(file: string, code: string): Promise<string[]> {
  const config = (await eslint.calculateConfigForFile(join(root, file))) as Linter.Config;
  const rule = config.rules?.['no-restricted-imports'];
  if (!rule) return [];
  const messages = new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, sourceType: 'module' },
        rules: { 'no-restricted-imports': rule },
      },
    ],
    { filename: join(root, file) },
  );
  return messages.filter((m) => /must not import devtools/.test(m.message)).map((m) => m.message);
}

describe('the devtools import ban', () => {
  it.each([
    'core/x.ts',
    'bot/x.ts',
    'bot/commands/x.ts',
    'worker/x.ts',
    'tools/slack/x.ts',
    'workflows/x.ts',
    'approvals/x.ts',
    'approvals/inbound/x.ts',
    'approvals/workflow/x.ts',
    'approvals/votes/workflow/x.ts',
    'bin/codec-server.ts',
  ])('bites in production code: %s', async (file) => {
    for (const code of snippets) expect(await devtoolsErrors(file, code), code).toHaveLength(1);
  });

  it('keeps the workflow sandbox rule where it applies', async () => {
    const config = (await eslint.calculateConfigForFile(join(root, 'workflows/x.ts'))) as Linter.Config;
    expect(JSON.stringify(config.rules?.['no-restricted-imports'])).toContain(
      'Workflow code must stay deterministic',
    );
  });

  it.each([
    'tests/x.test.ts',
    'core/delivery/x.test.ts',
    'bot/testing/x.ts',
    'approvals/testing/x.ts',
    'bench/x.ts',
    'bin/dev.ts',
    'devtools/local-slack/x.ts',
  ])('leaves tests, harnesses and dev tooling alone: %s', async (file) => {
    for (const code of snippets) expect(await devtoolsErrors(file, code), code).toEqual([]);
  });

  it('does not flag production imports that merely look alike', async () => {
    const code =
      "import { recordsResolver } from './inbound/dns-records';\nexport const e = recordsResolver;\n";
    expect(await devtoolsErrors('approvals/wiring.ts', code)).toEqual([]);
  });
});
