import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createLogicRegistry } from '../../config/logic';
import { ActivityRegistry } from '../../core/registry/activity-registry';
import { createCodeExecutorActivities } from './activities';
import { codeExecute } from './specs';
import { CodeExecutorTool } from './tool';

const fixtures = join(import.meta.dirname, 'testing', 'workflows');
const name = (fn: string) => `demo/logic/misbehaving.${fn}`;

/** Real worker threads, the function files loaded through tsx as in production. */
describe('CodeExecutorTool (worker threads)', () => {
  let registry: ActivityRegistry;
  const secret = 'canary-secret-3f9a';
  beforeAll(async () => {
    process.env.CODE_EXECUTOR_TEST_SECRET = secret;
    const settings = loadConfig({ CODE_EXECUTOR_TIMEOUT_MS: '3000', CODE_EXECUTOR_MAX_MEMORY_MB: '48' });
    const tool = new CodeExecutorTool(await createLogicRegistry(fixtures), settings);
    registry = new ActivityRegistry().register(...createCodeExecutorActivities(tool));
  });

  const run = (fn: string, input: unknown = {}) =>
    registry.execute(codeExecute.name, { function: name(fn), input });
  const failureOf = (fn: string, input: unknown = {}) => run(fn, input).catch((e: unknown) => e);
  /** The worker process is fine after a bad call: the next good one runs. */
  const stillWorks = async () =>
    expect(await run('add', { a: 2, b: 3 })).toMatchObject({ output: { sum: 5 } });

  it('runs a function by its full name, its output validated', async () => {
    const result = await run('add', { a: 1, b: 2 });
    expect(result).toEqual({ output: { sum: 3 }, durationMs: expect.any(Number) });
  });

  it('fails a throwing function for good, naming it and the error', async () => {
    const error = await failureOf('throws');
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({
      type: 'LogicFunctionFailed',
      nonRetryable: true,
      message: `code.execute: ${name('throws')} threw: RangeError: the rate table has no row for 2031`,
    });
    await stillWorks();
  });

  it('stops a function that runs past the timeout', async () => {
    const started = Date.now();
    const error = await failureOf('loops');
    expect(error).toMatchObject({
      type: 'LogicFunctionTimedOut',
      nonRetryable: true,
      message: expect.stringMatching(/loops did not finish within 3000 ms \(CODE_EXECUTOR_TIMEOUT_MS\)/),
    });
    expect(Date.now() - started).toBeLessThan(7000);
    await stillWorks();
  });

  it('stops a function that uses more memory than the cap', async () => {
    const error = await failureOf('hogsMemory');
    expect(error).toMatchObject({
      type: 'LogicFunctionOutOfMemory',
      nonRetryable: true,
      message: expect.stringMatching(
        /hogsMemory ran out of memory \(over 48 MB of heap, CODE_EXECUTOR_MAX_MEMORY_MB\)/,
      ),
    });
    await stillWorks();
  });

  it("gives a function none of the worker's environment", async () => {
    expect(process.env.CODE_EXECUTOR_TEST_SECRET).toBe(secret);
    const result = (await run('readsEnvironment')) as { output: { env: Record<string, string> } };
    expect(result.output.env).toEqual({});
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('works in a worker process started with tsx, as production starts one (no secret either)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'testing', 'execute-once.ts'),
        fixtures,
        name('readsEnvironment'),
        '{}',
      ],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, CODE_EXECUTOR_TEST_SECRET: secret },
        timeout: 30_000,
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ output: { env: {} } });
  });

  it('refuses bad input before a thread starts, naming the field', async () => {
    await expect(run('add', { a: 1, b: 'two' })).rejects.toMatchObject({
      code: 'InvalidInput',
      message: expect.stringMatching(/^Invalid input of demo\/logic\/misbehaving\.add: b: /),
    });
  });

  it('refuses output its schema does not allow', async () => {
    await expect(run('badOutput')).rejects.toMatchObject({
      code: 'InvalidOutput',
      message: expect.stringMatching(/^Invalid output of demo\/logic\/misbehaving\.badOutput: total: /),
    });
    await stillWorks();
  });

  it('fails a function that ends its thread', async () => {
    expect(await failureOf('exits')).toMatchObject({
      type: 'LogicFunctionFailed',
      nonRetryable: true,
      message: expect.stringMatching(/exits ended its thread \(exit code 3\) without a result/),
    });
    await stillWorks();
  });

  it('names the closest functions for an unknown name', async () => {
    await expect(run('ad')).rejects.toMatchObject({
      code: 'UnknownLogic',
      message: expect.stringMatching(
        /Unknown business-logic function "demo\/logic\/misbehaving\.ad"\. Did you mean "demo\/logic\/misbehaving\.add"/,
      ),
    });
  });
});
