import { existsSync } from 'node:fs';
import { loadConfig } from '.';
import type { Config } from '.';
import { PantheonError } from '../core/errors';

/**
 * Entry points call this once: `.env` (if present; real environment variables win), then the
 * environment, validated. A bad setting stops the process with one line naming the variable and
 * what it expects — no stack trace.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof PantheonError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
