import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import type { Delivery, DeliveryRequest, DeliveryResponse } from '../../core/delivery/contract';
import { DeliveryFailedError } from '../../core/delivery/errors';
import type { Database } from '../../core/db/pool';
import { Tool } from '../../core/registry/tool';
import { progressLine } from './blocks/step';
import { failureMessage, resultMessage } from './blocks/result';
import type { ResultMessage } from './blocks/result';
import { postMessage } from './post-message';
import { rootMessage } from './blocks/root';
import type {
  postRunFinishedInput,
  postRunFinishedOutput,
  postRunStartedInput,
  postRunStartedOutput,
  reportProgressInput,
  reportProgressOutput,
} from './models';
import type { MessageRef, RunInfo, RunStatus, SlackTarget } from './models';

export interface SlackToolOptions {
  /** Everything leaving for Slack goes through it: pacing, retries, de-duplication, debouncing. Unset: Slack is not configured. */
  readonly delivery: Delivery | undefined;
  readonly db: Database;
  /** For links to runs: TEMPORAL_UI_URL and TEMPORAL_NAMESPACE. */
  readonly temporalUiUrl: string;
  readonly namespace: string;
}

type Output<S extends z.ZodType> = z.input<S>;

/**
 * A run's Slack thread, activity side: the root message, a line per step, the result, and the root's
 * final ✅/❌. Every write carries an idempotency key derived from the run and the step, so an
 * activity retry never posts twice; root refreshes share a debounce key so only the latest is sent.
 */
export class SlackTool extends Tool {
  readonly name = 'slack';

  constructor(private readonly options: SlackToolOptions) {
    super();
  }

  protected override async initialize(): Promise<void> {
    if (!this.options.delivery) {
      throw ApplicationFailure.nonRetryable(
        'This worker cannot post to Slack: set SLACK_BOT_TOKEN (and SLACK_API_URL for a local Slack)',
        'ConfigInvalid',
      );
    }
  }

  private get delivery(): Delivery {
    if (!this.options.delivery) throw new Error('SlackTool used before initialize()');
    return this.options.delivery;
  }

  /** slack.postRunStarted: the run's root message. */
  async postRunStarted({
    target,
    run,
    status,
  }: z.output<typeof postRunStartedInput>): Promise<Output<typeof postRunStartedOutput>> {
    const message = rootMessage(target, run, status, this.url(run));
    const response = await this.deliver(run, 'root', postMessage(target.channel, message, target.threadTs));
    const root = { channel: stringField(response, 'channel') ?? target.channel, ts: requireTs(response) };
    await this.remember(root, run, 'root');
    return root;
  }

  /** slack.reportProgress: a step in the thread, and the root refreshed. */
  async reportProgress(
    input: z.output<typeof reportProgressInput>,
  ): Promise<Output<typeof reportProgressOutput>> {
    const { target, run, root, status, seq, change } = input;
    const line = progressLine(status, change);
    let ts: string | undefined;
    if (line)
      ts = requireTs(
        await this.deliver(run, `progress/${seq}`, postMessage(root.channel, line, threadOf(target, root))),
      );
    // The root shows only the latest state: queued, coalesced with later refreshes.
    await this.delivery.enqueue(this.rootUpdate(target, run, root, status, `root/${seq}`));
    return ts ? { ts } : {};
  }

  /** slack.postRunFinished: the outcome, and the root marked. */
  async postRunFinished(
    input: z.output<typeof postRunFinishedInput>,
  ): Promise<Output<typeof postRunFinishedOutput>> {
    const { target, run, root, status, result } = input;
    const thread = threadOf(target, root);
    const message: ResultMessage =
      status.state === 'completed'
        ? resultMessage(run, status, result, this.url(run))
        : failureMessage(run, status, this.url(run));
    const posted = await this.deliver(run, 'result', postMessage(root.channel, message, thread));
    const resultRef = { channel: stringField(posted, 'channel') ?? root.channel, ts: requireTs(posted) };
    await this.remember(resultRef, run, 'result');
    // Too long for a message: the whole output goes up as a file in the thread, under the summary.
    if (message.file) await this.uploadFile(run, root.channel, thread, message.file);
    // Sent (not queued) with the refreshes' debounce key: it supersedes any still pending.
    await this.delivery.send(this.rootUpdate(target, run, root, status, 'root/final'));
    return { resultTs: resultRef.ts };
  }

  /**
   * Slack's two-step upload: an upload URL (a Web API call, through the delivery), the bytes
   * (straight to that URL: not the Web API), then sharing the file in the thread (through the
   * delivery). The idempotency keys make a retried activity reuse the same file and share it once.
   */
  private async uploadFile(
    run: RunInfo,
    channel: string,
    threadTs: string,
    file: { filename: string; title: string; content: string },
  ): Promise<void> {
    const bytes = new TextEncoder().encode(file.content);
    const reserved = await this.deliver(run, 'result-file/url', {
      channel,
      method: 'files.getUploadURLExternal',
      args: { filename: file.filename, length: bytes.length },
    });
    const uploadUrl = stringField(reserved, 'upload_url');
    const fileId = stringField(reserved, 'file_id');
    if (!uploadUrl || !fileId)
      throw new Error('Slack answered files.getUploadURLExternal without upload_url and file_id');
    const uploaded = await fetch(uploadUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: bytes,
      signal: AbortSignal.timeout(60_000),
    });
    if (!uploaded.ok) throw new Error(`Uploading the result file failed: HTTP ${uploaded.status}`);
    await this.deliver(run, 'result-file/share', {
      channel,
      method: 'files.completeUploadExternal',
      args: { files: [{ id: fileId, title: file.title }], channel_id: channel, thread_ts: threadTs },
    });
  }

  private rootUpdate(
    target: SlackTarget,
    run: RunInfo,
    root: MessageRef,
    status: RunStatus,
    key: string,
  ): DeliveryRequest {
    const message = rootMessage(target, run, status, this.url(run));
    return {
      channel: root.channel,
      method: 'chat.update',
      args: { channel: root.channel, ts: root.ts, text: message.text, blocks: message.blocks },
      idempotencyKey: `${run.workflowId}/${run.runId}/${key}`,
      debounceKey: `update:${root.channel}:${root.ts}`,
      runId: run.workflowId,
    };
  }

  private async deliver(
    run: RunInfo,
    key: string,
    request: Omit<DeliveryRequest, 'idempotencyKey' | 'runId'>,
  ): Promise<DeliveryResponse> {
    try {
      return await this.delivery.send({
        ...request,
        idempotencyKey: `${run.workflowId}/${run.runId}/${key}`,
        runId: run.workflowId,
      });
    } catch (error) {
      // Slack refused the request itself (channel_not_found, invalid_blocks…): a retry would fail the same way.
      if (error instanceof DeliveryFailedError && error.permanent) {
        throw ApplicationFailure.nonRetryable(error.message, 'SlackRejected');
      }
      throw error;
    }
  }

  /** A reaction on this message must find its run. */
  private async remember(message: MessageRef, run: RunInfo, kind: 'root' | 'result'): Promise<void> {
    await this.options.db.query(
      `INSERT INTO slack_messages (channel, ts, workflow_id, run_id, workflow, kind) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (channel, ts) DO NOTHING`,
      [message.channel, message.ts, run.workflowId, run.runId, run.workflow, kind],
    );
  }

  private url(run: RunInfo): string {
    const base = this.options.temporalUiUrl.replace(/\/$/, '');
    const ns = encodeURIComponent(this.options.namespace);
    return `${base}/namespaces/${ns}/workflows/${encodeURIComponent(run.workflowId)}/${run.runId}/history`;
  }
}

function threadOf(target: SlackTarget, root: MessageRef): string {
  return target.threadTs ?? root.ts;
}

function stringField(response: DeliveryResponse, key: string): string | undefined {
  const value = response[key];
  return typeof value === 'string' ? value : undefined;
}

function requireTs(response: DeliveryResponse): string {
  const ts = stringField(response, 'ts');
  if (!ts) throw new Error(`Slack answered without a message ts: ${JSON.stringify(response).slice(0, 200)}`);
  return ts;
}
