// Lint rules follow STYLE.md: no floating promises, no import cycles, type-only imports,
// and a wall around workflow code so the Temporal sandbox only ever sees deterministic code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { minimatch } from 'minimatch';

const ioLibraries = [
  'openai',
  '@anthropic-ai/sdk',
  'nodemailer',
  'googleapis',
  'ioredis',
  'bullmq',
  'pg',
  'pino',
  'smtp-server',
  'mailparser',
  'mailauth',
  '@slack/*',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  '@langfuse/*',
  'dotenv',
];
// Devtools (devtools/*, e.g. the local Slack emulator) are for dev and tests; production never
// imports them (they are not even installed in the image: see Dockerfile).
const noDevtools = {
  regex: '^@pantheon/local-slack(/|$)|(^|/)devtools(/|$)',
  message:
    'Production code must not import devtools (devtools/*, @pantheon/local-slack); only tests, */testing/, bench/ and bin/dev.ts may.',
};
const productionFiles = [
  'core/**/*.ts',
  'bot/**/*.ts',
  'worker/**/*.ts',
  'tools/**/*.ts',
  'workflows/**/*.ts',
  'approvals/**/*.ts',
  'cli/**/*.ts',
  'config/**/*.ts',
  'bin/**/*.ts',
];
// Test harnesses (bot/testing, approvals/testing, ...), tests beside the code and `npm run dev`.
const devOnlyFiles = ['**/*.test.ts', '**/testing/**', 'bin/dev.ts'];
/**
 * Everything Temporal bundles into the workflow sandbox lives here (tests/workflow-bundle.test.ts
 * checks the bundle reaches nothing else): `workflow/` folders, the workflows, zod specs and
 * models, and the payload/failure converters (they run on both sides). Listed in
 * core/workflow/sandbox-globs.json, which that test reads too.
 */
export const sandboxGlobs = JSON.parse(
  readFileSync(join(import.meta.dirname, 'core/workflow/sandbox-globs.json'), 'utf8'),
);
const isSandboxFile = (file) => sandboxGlobs.some((glob) => minimatch(file, glob));

/**
 * Sandbox files may import (other than types) only sandbox files: a relative import of, say, the
 * LLM router would carry `openai` into the bundle without naming it.
 */
const sandboxOnly = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const root = import.meta.dirname;
    return {
      ImportDeclaration(node) {
        const source = String(node.source.value);
        if (node.importKind === 'type' || !source.startsWith('.')) return;
        if (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type')) return;
        const target = relative(root, resolve(dirname(context.filename), source));
        const file = target.endsWith('.ts') ? target : `${target}.ts`;
        if (isSandboxFile(file) || isSandboxFile(join(target, 'index.ts'))) return;
        context.report({
          node: node.source,
          message: `Workflow code may import only sandbox files (workflow/ folders, specs.ts, models.ts): "${source}" is not one. Call an activity, or move pure code into a workflow/ folder.`,
        });
      },
    };
  },
};
const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'http',
  'https',
  'net',
  'crypto',
  'child_process',
  'os',
  'path',
  'url',
  'stream',
  'dns',
  'tls',
  'zlib',
  'worker_threads',
];

export default tseslint.config(
  {
    ignores: [
      'eslint.config.js',
      'vitest.config.ts',
      'node_modules',
      'dist',
      '.tools',
      '.pantheon',
      'artifacts',
      'coverage',
      'bin/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    // Resolve our extensionless relative imports to their .ts files (the layering zones need it).
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: productionFiles,
    ignores: devOnlyFiles,
    rules: {
      'no-restricted-imports': ['error', { patterns: [noDevtools] }],
    },
  },
  {
    // Layers, one way: apps (bot, worker, cli, config: the assembled settings) → features
    // (approvals, tools, workflows) → core. Test helpers and tests may reach anywhere.
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**', 'tests/**', 'bench/**', 'bin/**'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './core',
              from: [
                './approvals',
                './tools',
                './workflows',
                './bot',
                './worker',
                './cli',
                './config',
                './devtools',
              ],
              message: 'core/ imports nothing above it: pass what it needs in from the caller.',
            },
            {
              target: ['./approvals', './tools', './workflows'],
              from: ['./bot', './worker', './cli', './config', './devtools'],
              message: 'Features never import apps or devtools: take settings and clients as arguments.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code is bundled into Temporal's deterministic sandbox (and is production code: this
    // rule setting replaces the one above, so it repeats the devtools ban).
    files: sandboxGlobs,
    ignores: ['**/*.test.ts'],
    plugins: { pantheon: { rules: { 'sandbox-only': sandboxOnly } } },
    rules: {
      'pantheon/sandbox-only': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...ioLibraries, ...nodeBuiltins],
              message: 'Workflow code must stay deterministic: call an activity for I/O instead.',
              allowTypeImports: true,
            },
            noDevtools,
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'setInterval', 'console'],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message:
            'Use workflow time (Date is deterministic in workflows) only through @temporalio/workflow.',
        },
        { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
