// Lint rules follow STYLE.md: no floating promises, no import cycles, type-only imports,
// and a wall around workflow code so the Temporal sandbox only ever sees deterministic code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';

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
  'bin/**/*.ts',
];
// Test harnesses (bot/testing, approvals/testing, ...), tests beside the code and `npm run dev`.
const devOnlyFiles = ['**/*.test.ts', '**/testing/**', 'bin/dev.ts'];
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
    // Workflow code is bundled into Temporal's deterministic sandbox (and is production code: this
    // rule setting replaces the one above, so it repeats the devtools ban).
    files: ['workflows/**/*.ts', '**/workflow-safe/**/*.ts', 'approvals/workflow.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
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
