import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath, payloadConverterPath } from '../core/temporal/data-converter';
import { preloadModules, workflowInterceptorModules, workflowsEntry } from './paths';

/** Bundles every workflow (with its interceptors and the payload converter) once, for workers to load without webpack. */
export async function buildWorkflowBundle(outPath: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowsEntry(),
    workflowInterceptorModules,
    preloadModules,
    payloadConverterPath,
    failureConverterPath,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, code);
  return outPath;
}
