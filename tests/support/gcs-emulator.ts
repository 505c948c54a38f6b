import { spawn, type ChildProcess } from 'node:child_process';
import { gcsEmulatorPath } from './binaries';
import { freePort } from './ports';

export interface GcsEmulator {
  /** For `new Storage({ apiEndpoint })` and BLOB_GCS_API_ENDPOINT. */
  readonly apiEndpoint: string;
  readonly bucket: string;
  stop(): Promise<void>;
}

/**
 * A Cloud Storage JSON API emulator (gcp-storage-emulator, from PyPI) with one empty bucket, kept
 * in memory: the real @google-cloud/storage client talks to it over HTTP as it would to Google.
 */
export async function startGcsEmulator(bucket = 'pantheon-test'): Promise<GcsEmulator> {
  const port = await freePort();
  const child = spawn(
    gcsEmulatorPath(),
    ['start', '--host=127.0.0.1', `--port=${port}`, '--in-memory', `--default-bucket=${bucket}`],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } },
  );
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The GCS emulator did not start in 15 s:\n${output}`)),
      15_000,
    );
    const check = () => {
      if (output.includes('All services started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The GCS emulator exited (${code}):\n${output}`));
    });
  });
  return { apiEndpoint: `http://127.0.0.1:${port}`, bucket, stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
