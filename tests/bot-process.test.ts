import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { freePort } from './support/ports';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalSlackServer } from '@pantheon/local-slack';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { stopProcess } from './support/worker-process';

/** `npm run bot` as a real process: ready line, health, a command end to end, clean stop, config errors. */
const root = join(import.meta.dirname, '..');
const signingSecret = 'process-test-secret';
let slack: LocalSlackServer;
let stack: Stack;
beforeAll(async () => {
  slack = new LocalSlackServer({ signingSecret });
  await slack.start();
  stack = await startStack({ SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: slack.botToken });
});
afterAll(async () => {
  await stack?.close();
  await slack?.close();
});

function bot(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    cwd: root,
    env: { ...process.env, ...stack.env, LOG_PRETTY: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

it('prints "bot ready", serves /healthz and commands, and stops on SIGTERM', async () => {
  const port = await freePort();
  const running = bot({
    SLACK_API_URL: slack.apiUrl,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    BOT_PORT: String(port),
  });
  try {
    await expect.poll(running.output, { timeout: 30_000, interval: 100 }).toMatch(/bot ready/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    slack.setAppUrl(`http://127.0.0.1:${port}/slack/events`);
    const command = await slack.slashCommand({
      user: 'U_ALICE',
      channel: 'C_OPS',
      text: `run invoice-review vendor=proc-${Date.now()} amount=4`,
    });
    expect(command.status).toBe(200);
    const answer = await slack.waitFor(
      'response_url_posted',
      (e) => e.post.responseUrl === command.responseUrl,
      10_000,
    );
    expect(answer.post.body.text).toMatch(/Started invoice-review/);
    await slack.waitUntil(
      () => slack.messages('C_OPS').find((m) => m.text.startsWith('✅ Completed')),
      15_000,
    );
  } finally {
    await stopProcess(running.child);
  }
  expect(await running.exited).toBe(0);
  expect(running.output()).toMatch(/bot stopped/);
});

it('explains a missing setting in one line', async () => {
  const broken = bot({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_API_URL: slack.apiUrl,
    SLACK_SIGNING_SECRET: '',
    SLACK_APP_TOKEN: '',
  });
  const badReactions = bot({ SLACK_FEEDBACK_POSITIVE: ':ok hand:' });
  expect(await Promise.all([broken.exited, badReactions.exited])).toEqual([1, 1]);
  expect(broken.output()).toMatch(
    /Configuration error: SLACK_SIGNING_SECRET must be the Slack app signing secret/,
  );
  expect(badReactions.output()).toMatch(
    /Configuration error: SLACK_FEEDBACK_POSITIVE must be comma-separated reaction names/,
  );
});
