/**
 * slack-ack: how fast the bot acks `/pantheon run …` as Slack sees it (signed request → HTTP
 * answer), against a bare Bolt app whose handler only acks. Both run as their own processes — the
 * bot is `bot/main.ts` itself, doing its real work after each ack (Temporal start on a dev server,
 * Postgres, the response_url answer) — while this process plays Slack, interleaving rounds to both
 * in the same run. Goal: ratio ≤ 1.3, p99 < 50 ms.
 */
import { randomUUID } from 'node:crypto';
import { App, LogLevel } from '@slack/bolt';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { LocalSlackServer } from '@pantheon/local-slack';
import { temporalCliPath } from '../tests/support/binaries';
import { percentile, summaryLine } from './stats';
import { freePort, startProcess, stop } from './processes';
import { newVoteSigningKey } from '../approvals/votes/keys';
import { testPolicy, writePolicy } from '../tests/support/policy';

const total = Number(process.env.BENCH_COMMANDS ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 20);
const signingSecret = 'bench-secret';

if (process.env.SLACK_ACK_BASELINE_PORT) {
  // Child role: the baseline, Bolt with nothing but an ack.
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    signingSecret,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
    logLevel: LogLevel.ERROR,
  });
  app.command('/pantheon', async ({ ack }) => {
    await ack();
  });
  await app.start({ port: Number(process.env.SLACK_ACK_BASELINE_PORT), host: '127.0.0.1' });
  console.log('baseline ready');
} else {
  await measure();
}

/** `count` signed commands, `concurrency` in flight; the ack latency of each as Slack measured it. */
async function burst(slack: LocalSlackServer, count: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const sent = await slack.slashCommand({
          user: 'U_ALICE',
          channel: 'C_OPS',
          text: `run invoice-review vendor=bench-${randomUUID()} amount=5`,
        });
        if (sent.status !== 200) throw new Error(`ack failed: HTTP ${sent.status}`);
        latencies.push(sent.durationMs);
      }
    }),
  );
  return latencies;
}

async function measure(): Promise<void> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      extraArgs: ['--log-level', 'error'],
    },
  });
  const ours = new LocalSlackServer({ signingSecret });
  const bare = new LocalSlackServer({ signingSecret });
  await Promise.all([ours.start(), bare.start()]);
  const [botPort, barePort] = [await freePort(), await freePort()];
  const bot = await startProcess(['bot/main.ts'], {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
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
    BOT_PORT: String(botPort),
  });
  const baseline = await startProcess(['bench/slack-ack.ts'], {
    SLACK_ACK_BASELINE_PORT: String(barePort),
    SLACK_BOT_TOKEN: bare.botToken,
    SLACK_API_URL: bare.apiUrl,
  });
  ours.setAppUrl(`http://127.0.0.1:${botPort}/slack/events`);
  bare.setAppUrl(`http://127.0.0.1:${barePort}/slack/events`);

  // The bot's work after each ack (start, answer) must finish before the baseline's round, or it
  // would slow the baseline down: wait for every "Started" answer.
  let sentToBot = 0;
  const answered = () =>
    ours.events().filter((e) => e.type === 'response_url_posted' && /Started/.test(String(e.post.body.text)))
      .length;
  const botRound = async (count: number) => {
    const latencies = await burst(ours, count);
    sentToBot += count;
    await ours.waitUntil(() => answered() >= sentToBot || undefined, 60_000);
    return latencies;
  };

  // Warm both up, then interleave rounds so machine noise hits both alike.
  await botRound(40);
  await burst(bare, 40);
  const oursLatencies: number[] = [];
  const baselineLatencies: number[] = [];
  const rounds = 10;
  for (let i = 0; i < rounds; i++) {
    oursLatencies.push(...(await botRound(total / rounds)));
    baselineLatencies.push(...(await burst(bare, total / rounds)));
  }

  await Promise.all([stop(bot), stop(baseline)]);
  await Promise.all([ours.close(), bare.close()]);
  await env.teardown();

  const f = (n: number) => n.toFixed(2);
  console.log(
    `${total} signed /pantheon run commands each, ${concurrency} concurrent; ack latency in ms as Slack sees it`,
  );
  console.log(
    `  bot (bot/main.ts)  p50 ${f(percentile(oursLatencies, 50))}  p99 ${f(percentile(oursLatencies, 99))}  max ${f(Math.max(...oursLatencies))}`,
  );
  console.log(
    `  bare Bolt          p50 ${f(percentile(baselineLatencies, 50))}  p99 ${f(percentile(baselineLatencies, 99))}  max ${f(Math.max(...baselineLatencies))}`,
  );
  console.log(summaryLine('slack-ack', oursLatencies, baselineLatencies, 'ratio ≤ 1.3, p99 < 50 ms'));
}
