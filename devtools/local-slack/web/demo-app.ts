import { deflateSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type types } from '@slack/bolt';
import { createTransport } from 'nodemailer';
import type { LocalWorkspace } from './start';

type KnownBlock = types.KnownBlock;
type ModalView = types.ModalView;

/**
 * A small real Bolt app exercising the local workspace page end to end: `/pantheon` posts a request
 * with Block Kit and buttons, Approve updates it, Details opens a modal (validated with
 * `response_action: errors`), a mention answers in a thread, and each request mails the approver.
 * The browser test drives it; `npx tsx devtools/local-slack/web/demo.ts` runs it for a person.
 */

/** A PNG as a data: URL, one colour or one per pixel (no network needed for image blocks). */
export function pngDataUrl(
  width: number,
  height: number,
  color: [number, number, number] | ((x: number, y: number) => [number, number, number]),
): string {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const pixel = typeof color === 'function' ? color : () => color;
  const rows = Array.from({ length: height }, (_, y) =>
    Buffer.from([0, ...Array.from({ length: width }, (_, x) => pixel(x, y)).flat()]),
  );
  const pixels = deflateSync(Buffer.concat(rows));
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

const LOGO = pngDataUrl(8, 8, [74, 21, 75]);
const BARS = [0.35, 0.5, 0.42, 0.66, 0.58, 0.8, 0.72, 0.9];
const CHART = pngDataUrl(360, 120, (x, y) => {
  const bar = Math.floor(x / 45);
  const inBar = x % 45 > 8 && x % 45 < 38;
  const top = 120 - Math.round((BARS[bar] ?? 0) * 110);
  if (inBar && y >= top) return bar === BARS.length - 1 ? [18, 100, 163] : [43, 172, 118];
  return y % 30 === 0 ? [232, 232, 232] : [248, 248, 248];
});

function requestBlocks(requester: string, text: string, id: string): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: ':rocket: New request', emoji: true } },
    {
      type: 'section',
      block_id: 'summary',
      text: { type: 'mrkdwn', text: `*<@${requester}>* asked Pantheon to:\n> ${text}` },
      accessory: {
        type: 'button',
        action_id: 'details',
        text: { type: 'plain_text', text: 'Details' },
        value: id,
      },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Workflow*\n`purchase-request`' },
        { type: 'mrkdwn', text: '*Amount*\n$1,200.00' },
        { type: 'mrkdwn', text: '*Approvers*\n<!subteam^S_APPROVERS>' },
        { type: 'mrkdwn', text: '*Status*\n:hourglass_flowing_sand: _Waiting for approval_' },
      ],
    },
    {
      type: 'context',
      elements: [
        { type: 'image', image_url: LOGO, alt_text: 'Pantheon' },
        {
          type: 'mrkdwn',
          text: `Request \`${id}\` · <https://example.com/runs/${id}|Open in Pantheon> · ~draft~ *live*`,
        },
      ],
    },
    { type: 'divider' },
    {
      type: 'actions',
      block_id: 'decision',
      elements: [
        {
          type: 'button',
          action_id: 'approve',
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve' },
          value: id,
        },
        {
          type: 'button',
          action_id: 'reject',
          style: 'danger',
          text: { type: 'plain_text', text: 'Reject' },
          value: id,
          confirm: {
            title: { type: 'plain_text', text: 'Reject this request?' },
            text: { type: 'mrkdwn', text: 'The requester will be told it was *rejected*.' },
            confirm: { type: 'plain_text', text: 'Reject' },
            deny: { type: 'plain_text', text: 'Cancel' },
            style: 'danger',
          },
        },
        {
          type: 'button',
          action_id: 'open_docs',
          text: { type: 'plain_text', text: 'Docs' },
          url: 'https://example.com/docs',
        },
      ],
    },
    {
      type: 'image',
      image_url: CHART,
      alt_text: 'Spend this quarter',
      title: { type: 'plain_text', text: 'Spend this quarter' },
    },
  ];
}

function detailsModal(id: string): ModalView {
  return {
    type: 'modal',
    callback_id: 'details_modal',
    private_metadata: id,
    title: { type: 'plain_text', text: 'Request details' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `Tell the approvers more about request \`${id}\`.` } },
      {
        type: 'input',
        block_id: 'reason_block',
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: 'reason',
          placeholder: { type: 'plain_text', text: 'Why is this needed?' },
        },
      },
      {
        type: 'input',
        block_id: 'notes_block',
        optional: true,
        label: { type: 'plain_text', text: 'Notes' },
        element: { type: 'plain_text_input', action_id: 'notes', multiline: true },
        hint: { type: 'plain_text', text: 'Anything the approvers should know.' },
      },
      {
        type: 'input',
        block_id: 'amount_block',
        label: { type: 'plain_text', text: 'Amount (USD)' },
        element: {
          type: 'number_input',
          action_id: 'amount',
          is_decimal_allowed: true,
          initial_value: '1200',
        },
      },
      {
        type: 'input',
        block_id: 'priority_block',
        label: { type: 'plain_text', text: 'Priority' },
        element: {
          type: 'static_select',
          action_id: 'priority',
          placeholder: { type: 'plain_text', text: 'Pick one' },
          options: ['low', 'normal', 'urgent'].map((p) => ({
            text: { type: 'plain_text', text: p[0]!.toUpperCase() + p.slice(1) },
            value: p,
          })),
        },
      },
      {
        type: 'input',
        block_id: 'flags_block',
        optional: true,
        label: { type: 'plain_text', text: 'Options' },
        element: {
          type: 'checkboxes',
          action_id: 'flags',
          options: [
            { text: { type: 'plain_text', text: 'Notify finance' }, value: 'notify_finance' },
            {
              text: { type: 'plain_text', text: 'Recurring' },
              value: 'recurring',
              description: { type: 'plain_text', text: 'Renews every month' },
            },
          ],
        },
      },
      {
        type: 'input',
        block_id: 'date_block',
        optional: true,
        label: { type: 'plain_text', text: 'Needed by' },
        element: { type: 'datepicker', action_id: 'needed_by' },
      },
    ],
  };
}

export interface DemoApp {
  app: App;
  url: string;
  stop(): Promise<void>;
}

/** Starts the demo Bolt app on a free port and points the workspace at it. */
export async function startDemoApp(workspace: LocalWorkspace): Promise<DemoApp> {
  const app = new App({
    token: workspace.botToken,
    signingSecret: workspace.signingSecret,
    clientOptions: { slackApiUrl: workspace.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  const mailer = createTransport(workspace.smtpUrl);
  let counter = 0;

  app.command('/pantheon', async ({ ack, command, client }) => {
    await ack();
    const id = `R-${String(++counter).padStart(3, '0')}`;
    await client.chat.postEphemeral({
      channel: command.channel_id,
      user: command.user_id,
      text: `:white_check_mark: Started \`${id}\` — only you can see this.`,
    });
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `New request from <@${command.user_id}>: ${command.text}`,
      blocks: requestBlocks(command.user_id, command.text || 'something', id),
    });
    await mailer.sendMail({
      from: 'Pantheon <pantheon@localhost>',
      to: 'bob@example.com',
      replyTo: `approvals+${id.toLowerCase()}@replies.example.com`,
      subject: `Approval needed: ${command.text || id}`,
      text: `Alice asked for: ${command.text}\n\nReply "approve" or "reject".\n\nOpen: https://example.com/runs/${id}`,
      html: `<p><b>Alice</b> asked for: ${command.text.replace(/</g, '&lt;')}</p><p>Reply <i>approve</i> or <i>reject</i>.</p><p><a href="https://example.com/runs/${id}">Open in Pantheon</a></p><script>document.body.innerHTML='pwned'</script>`,
    });
  });

  app.action('approve', async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.channel || !body.message) return;
    const blocks = (body.message.blocks as KnownBlock[]).filter((b) => b.type !== 'actions');
    await client.chat.update({
      channel: body.channel.id,
      ts: body.message.ts,
      text: `Approved by <@${body.user.id}>`,
      blocks: [
        ...blocks,
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: `:white_check_mark: *Approved* by <@${body.user.id}>` }],
        },
      ],
    });
  });

  app.action('reject', async ({ ack, respond, body }) => {
    await ack();
    await respond({ replace_original: true, text: `:x: Rejected by <@${body.user.id}>` });
  });

  app.action('open_docs', async ({ ack }) => ack());

  app.action('details', async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    const id = body.actions[0]?.type === 'button' ? (body.actions[0].value ?? '') : '';
    await client.views.open({ trigger_id: body.trigger_id, view: detailsModal(id) });
  });

  app.view('details_modal', async ({ ack, view, body, client }) => {
    const values = view.state.values;
    const amount = Number(values.amount_block?.amount?.value ?? 0);
    if (amount > 5000) {
      await ack({
        response_action: 'errors',
        errors: { amount_block: 'Amounts over $5,000 need a finance approver.' },
      });
      return;
    }
    await ack();
    const reason = values.reason_block?.reason?.value ?? '';
    const priority = values.priority_block?.priority?.selected_option?.value ?? 'normal';
    await client.chat.postMessage({
      channel: 'C_OPS',
      text: `<@${body.user.id}> added details to \`${view.private_metadata}\`: *${reason}* (priority _${priority}_, $${amount})`,
    });
  });

  app.event('app_mention', async ({ event, say }) => {
    await say({ text: `Hi <@${event.user}>! Try \`/pantheon buy a laptop\`.`, thread_ts: event.ts });
  });

  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  workspace.setAppUrl(url);
  return {
    app,
    url,
    stop: async () => {
      mailer.close();
      await app.stop();
    },
  };
}
