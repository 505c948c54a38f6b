import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { buildWorkflowBundle } from '../../worker/bundle';
import { temporalCliPath } from '../support/binaries';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

/**
 * One real Temporal dev server (the pinned CLI, in memory, free port) and one workflow bundle for
 * the whole integration run; each test file starts its own workers on its own task queues.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [env, bundlePath] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: temporalCliPath() },
        extraArgs: ['--log-level', 'error'],
      },
    }),
    buildWorkflowBundle(join(mkdtempSync(join(tmpdir(), 'pantheon-bundle-')), 'workflow-bundle.js')),
  ]);
  project.provide('temporalAddress', env.address);
  project.provide('workflowBundlePath', bundlePath);
  return () => env.teardown();
}
