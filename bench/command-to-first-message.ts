/**
 * command-to-first-message: time from a signed `/pantheon run …` to the run's root message arriving
 * at Slack — the bot (bot/main.ts) starts the workflow, a worker (worker/main.ts) picks it up and
 * the Slack interceptor posts through an activity — against a bare Bolt app that acks and posts a
 * message itself, the fastest a Slack app can answer. Processes as in production; this one plays
 * Slack. One command at a time, interleaved, each run finished before the next. Goal: p50 < 300 ms.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { LocalSlackServer } from '@pantheon/local-slack';
import { temporalCliPath } from '../tests/support/binaries';
import { buildWorkflowBundle } from '../worker/bundle';
import { percentile, summaryLine } from './stats';
import { freePort, startProcess, stop } from './processes';
import { newVoteSigningKey } from '../approvals/votes/keys';
import { testPolicy, writePolicy } from '../tests/support/policy';

const iterations = Number(process.env.BENCH_RUNS ?? 30);
const signingSecret = 'bench-secret';

if (process.env.FIRST_MESSAGE_BASELINE_PORT) {
  // Child role: the baseline, Bolt that acks and posts at once.
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    signingSecret,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
    logLevel: LogLevel.ERROR,
  });
  app.command('/pantheon', async ({ ack, command, client }) => {
    await ack();
    await client.chat.postMessage({ channel: command.channel_id, text: `Started ${command.text}` });
  });
  await app.start({ port: Number(process.env.FIRST_MESSAGE_BASELINE_PORT), host: '127.0.0.1' });
  console.log('baseline ready');
} else {
  await measure();
}

/** ms from sending the command to the first top-level message in the channel; then waits for `done`. */
async function timeOne(
  slack: LocalSlackServer,
  text: string,
  done: (slack: LocalSlackServer, since: number) => Promise<unknown>,
): Promise<number> {
  const since = slack.seq;
  const sentAt = Date.now();
  const first = slack.waitFor('message_posted', (e) => e.channel === 'C_OPS' && !e.message.thread_ts, {
    since,
    timeoutMs: 20_000,
  });
  const command = await slack.slashCommand({ user: 'U_ALICE', channel: 'C_OPS', text });
  if (command.status !== 200) throw new Error(`ack failed: HTTP ${command.status}`);
  const elapsed = (await first).at - sentAt;
  await done(slack, since);
  return elapsed;
}

async function measure(): Promise<void> {
  const [env, bundlePath] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: temporalCliPath() },
        extraArgs: ['--log-level', 'error'],
      },
    }),
    buildWorkflowBundle(join(mkdtempSync(join(tmpdir(), 'pantheon-bench-')), 'workflow-bundle.js')),
  ]);
  const ours = new LocalSlackServer({ signingSecret });
  const bare = new LocalSlackServer({ signingSecret });
  await Promise.all([ours.start(), bare.start()]);
  const [botPort, barePort] = [await freePort(), await freePort()];
  const common = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    // Production processes need a vote key and a policy (deny by default): the tests' own.
    APPROVAL_VOTE_SIGNING_KEY: newVoteSigningKey('bench'),
    PANTHEON_POLICY_FILE: writePolicy(testPolicy()),
    LOG_PRETTY: 'false',
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE_PREFIX: `bench${randomUUID().slice(0, 6)}`,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    SLACK_BOT_TOKEN: ours.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: ours.apiUrl,
    SLACK_APP_TOKEN: '',
  };
  const [bot, worker, baseline] = await Promise.all([
    startProcess(['bot/main.ts'], { ...common, LOG_LEVEL: 'info', BOT_PORT: String(botPort) }),
    startProcess(['worker/main.ts', '--tier', 'light,heavy'], {
      ...common,
      LOG_LEVEL: 'info',
      WORKFLOW_BUNDLE_PATH: bundlePath,
    }),
    startProcess(['bench/command-to-first-message.ts'], {
      FIRST_MESSAGE_BASELINE_PORT: String(barePort),
      SLACK_BOT_TOKEN: bare.botToken,
      SLACK_API_URL: bare.apiUrl,
    }),
  ]);
  ours.setAppUrl(`http://127.0.0.1:${botPort}/slack/events`);
  bare.setAppUrl(`http://127.0.0.1:${barePort}/slack/events`);

  // Each run's root turns ✅ before the next command, so runs do not overlap.
  const runFinished = (slack: LocalSlackServer, since: number) =>
    slack.waitFor('message_updated', (e) => e.channel === 'C_OPS' && e.message.text.startsWith('✅'), {
      since,
      timeoutMs: 20_000,
    });
  const command = () => `run invoice-review vendor=bench-${randomUUID().slice(0, 8)} amount=5`;
  const oursLatencies: number[] = [];
  const baselineLatencies: number[] = [];
  for (let i = -3; i < iterations; i++) {
    // People type their next command seconds later, never within the delivery queue's 1.1 s
    // per-channel pacing (Slack's one message a second) of the previous run's last update.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const a = await timeOne(ours, command(), runFinished);
    const b = await timeOne(bare, command(), async () => undefined);
    if (i < 0) continue; // warm-up
    oursLatencies.push(a);
    baselineLatencies.push(b);
  }

  await Promise.all([stop(bot), stop(worker), stop(baseline)]);
  await Promise.all([ours.close(), bare.close()]);
  await env.teardown();

  const f = (n: number) => n.toFixed(2);
  console.log(
    `${iterations} commands each, one at a time; ms from the signed command to the first message in the channel`,
  );
  console.log(
    `  bot → Temporal → worker → root message  p50 ${f(percentile(oursLatencies, 50))}  p99 ${f(percentile(oursLatencies, 99))}`,
  );
  console.log(
    `  bare Bolt posting in its handler       p50 ${f(percentile(baselineLatencies, 50))}  p99 ${f(percentile(baselineLatencies, 99))}`,
  );
  console.log(summaryLine('command-to-first-message', oursLatencies, baselineLatencies, 'p50 < 300 ms'));
}
