import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The production install (the Dockerfile's `npm ci`, run in a temp dir holding only package.json
 * and package-lock.json, as in the image's first layer) has no devtools: not the
 * @pantheon/local-slack workspace, nothing only it depends on, no dev tooling.
 */
const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

interface LockPackage {
  name?: string;
  version?: string;
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
type Lock = Record<string, LockPackage>;

/** Where Node finds `name` from the package at `from` (a lockfile key), walking up node_modules. */
function locate(lock: Lock, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock[key]) return key;
    if (!dir) return undefined;
    const at = dir.lastIndexOf('/node_modules/');
    dir = at < 0 ? '' : dir.slice(0, at);
  }
}

/** Lockfile keys (node_modules/...) a package's runtime dependencies reach, transitively. */
function reach(lock: Lock, start: string, names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue: Array<[string, string]> = names.map((n) => [start, n]);
  for (let next = queue.pop(); next; next = queue.pop()) {
    const key = locate(lock, next[0], next[1]);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const pkg = lock[key] ?? {};
    const peers = Object.keys(pkg.peerDependencies ?? {}).filter(
      (p) => !pkg.peerDependenciesMeta?.[p]?.optional,
    );
    for (const dep of [
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
      ...peers,
    ]) {
      queue.push([key, dep]);
    }
  }
  return seen;
}

function runtimeDeps(pkg: LockPackage): string[] {
  return [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
}

async function installed(dir: string): Promise<Set<string>> {
  const found = new Set<string>();
  async function walk(modules: string, prefix: string): Promise<void> {
    const entries = await readdir(join(dir, modules), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (entry.name.startsWith('@') && entry.isDirectory()) {
        for (const scoped of await readdir(join(dir, modules, entry.name))) {
          found.add(`${prefix}${entry.name}/${scoped}`);
          await walk(
            `${modules}/${entry.name}/${scoped}/node_modules`,
            `${prefix}${entry.name}/${scoped}/node_modules/`,
          );
        }
      } else {
        found.add(`${prefix}${entry.name}`);
        await walk(`${modules}/${entry.name}/node_modules`, `${prefix}${entry.name}/node_modules/`);
      }
    }
  }
  await walk('node_modules', 'node_modules/');
  return found;
}

let dir: string;
let lock: Lock;
let present: Set<string>;
beforeAll(async () => {
  const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');
  const command = /^RUN (npm ci [^\n&|;]*)$/m.exec(dockerfile)?.[1];
  expect(command, 'the Dockerfile installs with a single `npm ci`').toBeDefined();
  const args = command!.trim().split(/\s+/).slice(1);
  // The install layer sees only the manifest and the lockfile: no devtools/ folder, so npm prunes the
  // workspace's dependencies (with the folder present, `npm ci` would still install them, link or
  // not), and .dockerignore keeps devtools/ out of the later `COPY . .` too.
  const beforeInstall = dockerfile.slice(0, dockerfile.indexOf(`RUN ${command!}`));
  expect(beforeInstall.match(/^COPY .*$/gm)).toEqual(['COPY package.json package-lock.json ./']);
  const ignored = (await readFile(join(root, '.dockerignore'), 'utf8')).split('\n').map((l) => l.trim());
  expect(ignored).toEqual(expect.arrayContaining(['devtools', 'tests', 'bench', 'node_modules']));
  expect(args).toEqual(expect.arrayContaining(['--omit=dev', '--workspaces=false']));
  lock = (JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as { packages: Lock }).packages;
  dir = await mkdtemp(join(tmpdir(), 'pantheon-prod-install-'));
  await copyFile(join(root, 'package.json'), join(dir, 'package.json'));
  await copyFile(join(root, 'package-lock.json'), join(dir, 'package-lock.json'));
  // Install scripts only build native add-ons; skipping them changes nothing about which packages land.
  await run('npm', [...args, '--ignore-scripts', '--prefer-offline'], { cwd: dir, timeout: 170_000 });
  present = await installed(dir);
}, 180_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the production install', () => {
  it('has the production dependencies', () => {
    for (const name of runtimeDeps(lock[''] ?? {})) expect(present, name).toContain(`node_modules/${name}`);
    // Workers run TypeScript through tsx, and so do code.execute's threads (tools/code-executor/thread.mjs).
    expect(present).toContain('node_modules/tsx');
  });

  it('has no devtools workspace and nothing only devtools use', () => {
    const workspaces = Object.entries(lock)
      .filter(([, p]) => p.link)
      .map(([key]) => key);
    expect(workspaces).toContain('node_modules/@pantheon/local-slack');
    for (const key of workspaces) expect(present, key).not.toContain(key);
    expect(present).not.toContain('node_modules/devtools');

    const production = reach(lock, '', runtimeDeps(lock[''] ?? {}));
    const emulatorOnly = [
      ...reach(lock, 'devtools/local-slack', runtimeDeps(lock['devtools/local-slack'] ?? {})),
    ].filter((key) => !production.has(key));
    // Sanity: the emulator's own libraries (its WebSocket server) are among them, so the check is not vacuous.
    expect(emulatorOnly).toContain('node_modules/ws');
    expect(emulatorOnly.filter((key) => present.has(key))).toEqual([]);
    // And the install is exactly what production reaches: nothing else came along.
    // (npm keeps an optional peer that the lockfile's tree holds anyway: node-pg-migrate's
    // @types/pg, type declarations only, present because it is our devDependency.)
    const keptOptionalPeers = ['node_modules/@types/pg'];
    expect([...present].filter((key) => !production.has(key) && !keptOptionalPeers.includes(key))).toEqual(
      [],
    );
  });

  it('has no dev tooling', () => {
    for (const name of ['vitest', 'eslint', 'typescript', 'prettier', 'playwright-core', '@types/ws']) {
      expect(present).not.toContain(`node_modules/${name}`);
    }
  });
});
