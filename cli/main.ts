/**
 * The `pantheon` command for operators:
 *   pantheon list [--label L]
 *   pantheon run <workflow> [--input '{json}' | key=value ...] [--id ID] [--no-wait]
 *   pantheon status <id> | cancel <id> | signal <id> <signal> ['{json}']
 *   pantheon approvals [--pending] | approve <request-id> [--comment C] | reject <request-id> --comment C
 *   pantheon budget <id> raise maxTokens=N [maxCostUsd=USD] | deny [--comment REASON]
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/load';
import { createBlobStore } from '../core/blobs/store';
import { uploadFileArguments } from './file-arguments';
import { connectClient } from '../core/client';
import { PantheonError } from '../core/errors';
import { flushRunTracing, runTracingClientInterceptors } from '../tools/llm/temporal-tracing';
import { Runs } from '../core/runs';
import { createDatabase } from '../core/db/pool';
import { decideApproval, listApprovals } from './approvals';
import { budgetUsage, decideBudget, parseBudgetDecision } from './budget';
import { voteSignerFor } from '../approvals/votes/keys';
import { createWorkflowRegistry } from '../config/workflows';
import * as commands from './commands';
import type { CliIo } from './commands';

const usage = `Usage:
  pantheon list [--label LABEL]
  pantheon run <workflow> [--input '{json}' | key=value ... | key=@file] [--id RUN_ID] [--no-wait]
  pantheon status <run-id>
  pantheon cancel <run-id>
  pantheon signal <run-id> <signal> ['{json}']
  pantheon approvals [--pending]
  pantheon approve <request-id> [--comment TEXT]
  pantheon reject <request-id> --comment TEXT
  ${budgetUsage}`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      label: { type: 'string', multiple: true },
      input: { type: 'string' },
      id: { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
      pending: { type: 'boolean', default: false },
      comment: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || values.help) {
    process.stdout.write(`${usage}\n`);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfigOrExit();
  const isTty = process.stderr.isTTY;
  const io: CliIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    status: (text) => {
      if (isTty) process.stderr.write(`\r\x1b[2K${text}`);
      else if (text) process.stderr.write(`${text}\n`);
    },
    operator: config.PANTHEON_OPERATOR ?? userInfo().username,
  };
  const workflows = createWorkflowRegistry();
  // Validate before connecting, so bad input never waits on (or starts anything in) Temporal.
  if (command === 'list') return commands.list(workflows, io, values.label ?? []);
  const need = (count: number, what: string) => {
    if (rest.length < count) throw new PantheonError('InvalidInput', `Missing ${what}.\n${usage}`);
  };
  let input: unknown;
  let budget: ReturnType<typeof parseBudgetDecision> | undefined;
  if (command === 'run') {
    need(1, 'the workflow name');
    const words = await uploadFileArguments(rest.slice(1), createBlobStore(config));
    input = commands.inputFor(workflows, rest[0]!, values.input, words);
  } else if (command === 'approvals' || command === 'approve' || command === 'reject') {
    if (command !== 'approvals') need(1, 'the approval request id');
    return approvalCommand(config, io, command, rest[0], values);
  } else if (command === 'budget') {
    need(2, 'the run id and raise or deny');
    budget = parseBudgetDecision(rest.slice(1), io.operator, values.comment);
  } else if (!['status', 'cancel', 'signal'].includes(command)) {
    throw new PantheonError('InvalidInput', `Unknown command "${command}".\n${usage}`);
  }
  const client = await connectClient(config, runTracingClientInterceptors(config)).catch((error: unknown) => {
    throw new PantheonError(
      'ConfigInvalid',
      `Cannot reach Temporal at ${config.TEMPORAL_ADDRESS} (${(error as Error).message}). Is \`npm run dev\` running?`,
    );
  });
  try {
    const runs = new Runs(client, workflows, config);
    switch (command) {
      case 'run':
        return await commands.run(runs, io, rest[0]!, input, { id: values.id, wait: !values['no-wait'] });
      case 'status':
        need(1, 'the run id');
        return await commands.status(runs, io, rest[0]!);
      case 'cancel':
        need(1, 'the run id');
        return await commands.cancel(runs, io, rest[0]!);
      case 'budget':
        return await decideBudget({ client, signer: voteSignerFor(config) }, io, rest[0]!, budget!);
      default:
        need(2, 'the run id and the signal name');
        return await commands.signal(runs, io, rest[0]!, rest[1]!, rest[2]);
    }
  } finally {
    await client.connection.close();
  }
}

/** Approvals live in Postgres; deciding also signals the waiting run. */
async function approvalCommand(
  config: ReturnType<typeof loadConfigOrExit>,
  io: CliIo,
  command: 'approvals' | 'approve' | 'reject',
  requestId: string | undefined,
  values: { pending: boolean; comment?: string },
): Promise<number> {
  const db = createDatabase(config, 2);
  let client: Awaited<ReturnType<typeof connectClient>> | undefined;
  const connect = async () =>
    (client ??= await connectClient(config, runTracingClientInterceptors(config)).catch((error: unknown) => {
      throw new PantheonError(
        'ConfigInvalid',
        `Cannot reach Temporal at ${config.TEMPORAL_ADDRESS} (${(error as Error).message}). Is \`npm run dev\` running?`,
      );
    }));
  try {
    if (command === 'approvals') return await listApprovals(db, io, values.pending);
    return await decideApproval(
      { db, client: connect, signer: voteSignerFor(config) },
      io,
      requestId!,
      command === 'approve',
      values.comment,
    );
  } finally {
    await client?.connection.close();
    await db.end();
  }
}

/** Spans of the run's start are exported before exit (a no-op without Langfuse keys). */
const exit = async (code: number): Promise<never> => {
  await flushRunTracing().catch(() => undefined);
  process.exit(code);
};

main(process.argv.slice(2)).then(exit, async (error: unknown) => {
  if (error instanceof PantheonError) {
    process.stderr.write(`${error.message}\n`);
    return exit(2);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return exit(1);
});
