/**
 * `npm run dev`: the whole stack on one machine — a Temporal dev server (unless TEMPORAL_ADDRESS
 * is set), one worker per tier and the bot — with prefixed output. State lives in .pantheon/ so
 * runs survive a restart. Ctrl-C stops everything.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfigOrExit } from '../config/load';
import { devVoteSigningKey } from '../approvals/votes/keys';

const root = join(import.meta.dirname, '..');
const config = loadConfigOrExit();
const stateDir = join(root, '.pantheon');
mkdirSync(stateDir, { recursive: true });

const colors = ['\x1b[36m', '\x1b[33m', '\x1b[35m', '\x1b[32m', '\x1b[34m', '\x1b[31m'];
const children = new Map<string, ChildProcess>();
const closers: (() => Promise<void>)[] = [];
let stopping = false;

const waitingFor = new Set<string>();
let summary = '';

/** A process counts as up once it prints its ready line; the summary shows when all are up. */
function markReady(name: string, line: string): void {
  if (!waitingFor.has(name) || !/worker ready|bot ready|listening/i.test(line)) return;
  waitingFor.delete(name);
  if (waitingFor.size === 0) process.stdout.write(summary);
}

function start(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  ready = false,
): ChildProcess {
  if (ready) waitingFor.add(name);
  const color = colors[children.size % colors.length]!;
  const label = `${color}${name.padEnd(8)}\x1b[0m│ `;
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`${label}${line}\n`);
      markReady(name, line);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    process.stdout.write(`${label}exited (${signal ?? code}); stopping the stack\n`);
    void stop(1);
  });
  children.set(name, child);
  return child;
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(host: string, port: number, what: string, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await answers(host, port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer on ${host}:${port} within ${seconds}s`);
}

async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nStopping…\n');
  const timeout = setTimeout(() => [...children.values()].forEach((c) => c.kill('SIGKILL')), 20_000);
  // Workers and the bot drain first; the Temporal server goes last.
  const stopAll = (which: ChildProcess[]) =>
    Promise.all(
      which.map((child) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')))),
    );
  await stopAll([...children].filter(([name]) => name !== 'temporal').map(([, child]) => child));
  await stopAll([...children.values()]);
  await Promise.allSettled(closers.map((close) => close()));
  clearTimeout(timeout);
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const [host = '127.0.0.1', portText = '7233'] = config.TEMPORAL_ADDRESS.split(':');
const port = Number(portText);
if (process.env.TEMPORAL_ADDRESS) {
  process.stdout.write(`Using the Temporal server at ${config.TEMPORAL_ADDRESS}\n`);
} else if (await answers(host, port)) {
  process.stdout.write(`A Temporal server already answers at ${config.TEMPORAL_ADDRESS}; using it\n`);
} else {
  const uiPort = Number(new URL(config.TEMPORAL_UI_URL).port || 8233);
  start('temporal', join(root, '.tools', 'venv', 'bin', 'temporal'), [
    'server',
    'start-dev',
    '--db-filename',
    join(stateDir, 'temporal.db'),
    '--ip',
    host,
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--log-level',
    'error',
  ]);
  await waitFor(host, port, 'The Temporal dev server');
}

summary =
  [
    '',
    `  Temporal UI   ${config.TEMPORAL_UI_URL}`,
    `  Try it       npx pantheon run invoice-review vendor=acme amount=1200`,
    `               npx pantheon list`,
    '  Stop         Ctrl-C',
    '',
  ].join('\n') + '\n';
const tsx = ['--import', 'tsx'];
const childEnv: NodeJS.ProcessEnv = {
  LOG_PRETTY: process.env.LOG_PRETTY ?? 'true',
  // The bot signs approval votes and the workers verify them: one local key, made once (the CLI reads it too).
  ...(config.APPROVAL_VOTE_SIGNING_KEY ? {} : { APPROVAL_VOTE_SIGNING_KEY: devVoteSigningKey(stateDir) }),
  ...(await localWorkspaceEnv()),
};
for (const tier of ['light', 'llm', 'heavy'])
  start(tier, process.execPath, [...tsx, 'worker/main.ts', '--tier', tier], childEnv, true);
start('bot', process.execPath, [...tsx, 'bot/main.ts'], childEnv, true);

/**
 * Without Slack credentials, the product runs against a local Slack workspace and mail inbox in
 * the browser (devtools/local-slack): same bot, same workers, signed requests, real SMTP.
 */
async function localWorkspaceEnv(): Promise<NodeJS.ProcessEnv> {
  if (config.SLACK_BOT_TOKEN) return {};
  const { startLocalWorkspace } = await import('@pantheon/local-slack/web/start');
  const ports = { page: 3100, smtp: 2525, inboundSmtp: 2526 };
  const workspace = await startLocalWorkspace({
    appUrl: `http://127.0.0.1:${config.BOT_PORT}/slack/events`,
    port: ports.page,
    smtpPort: ports.smtp,
    inboundSmtpUrl: `smtp://127.0.0.1:${ports.inboundSmtp}`,
  }).catch(async (error: NodeJS.ErrnoException & { port?: number }) => {
    if (error.code === 'EADDRINUSE') {
      process.stderr.write(
        `Port ${error.port ?? ''} is already in use (is another \`npm run dev\` running?). Stop it, or set SLACK_BOT_TOKEN to use a real Slack.\n`,
      );
      await stop(1); // exits
    }
    throw error;
  });
  closers.push(() => workspace.close());
  summary = summary.replace('  Temporal UI', `  Slack (local) ${workspace.url}  ← open this\n  Temporal UI`);
  return {
    ...workspace.env,
    PUBLIC_URL: `http://127.0.0.1:${config.BOT_PORT}`,
    APPROVAL_TOKEN_KEYS: config.APPROVAL_TOKEN_KEYS ?? devTokenKey(),
    APPROVALS_REPLY_DOMAIN: config.APPROVALS_REPLY_DOMAIN ?? 'replies.pantheon.local',
    INBOUND_SMTP_PORT: String(config.INBOUND_SMTP_PORT ?? ports.inboundSmtp),
    // The local workspace's people (alice, bob, carol) run and approve what the README shows.
    PANTHEON_POLICY_FILE: config.PANTHEON_POLICY_FILE ?? join(root, 'policy.dev.yaml'),
  };
}

/** A signing key for approval links that survives restarts, so yesterday's email links still work. */
function devTokenKey(): string {
  const file = join(stateDir, 'approval-token-key');
  if (!existsSync(file)) writeFileSync(file, `dev:${randomBytes(32).toString('base64url')}`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}
