/**
 * `npm run bench -- <name>` runs bench/<name>.ts. Each benchmark measures its own baseline in the
 * same run and prints, as its last line:
 *   <name>: ratio <ours/baseline> p50 <x> ms p99 <y> ms (goal ...)
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && !['run.ts', 'stats.ts', 'processes.ts'].includes(file))
  .map((file) => file.replace(/\.ts$/, ''));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <name>\nAvailable: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
await import(pathToFileURL(join(here, `${name}.ts`)).href);
