import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The workflow bundle's entry and where `npm run build` writes the prebuilt bundle. */
export const workflowsPath = join(root, 'workflows', 'index.ts');
export const defaultBundlePath = join(root, 'dist', 'workflow-bundle.js');

/**
 * Workflow interceptors every workflow runs with: run tracing first (so everything after runs in
 * the run's trace), then Slack threads for runs started from Slack.
 */
export const workflowInterceptorModules = [
  join(root, 'tools', 'llm', 'workflow', 'tracing-interceptor.ts'),
  join(root, 'tools', 'slack', 'workflow', 'progress-interceptor.ts'),
];
