import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../bot/testing/harness';
import type { BotHarness } from '../bot/testing/harness';

/** A mention for the agent that is too long gets a clear answer in its thread instead of silence. */
let h: BotHarness;
beforeAll(async () => {
  const policy = join(mkdtempSync(join(tmpdir(), 'agent-policy-')), 'policy.yaml');
  writeFileSync(policy, 'workflows:\n  agent:\n    run: { everyone: true }\n');
  // A provider key makes mentions go to the agent; no model is ever called here.
  h = await startBotHarness({ env: { OPENAI_API_KEY: 'sk-test', PANTHEON_POLICY_FILE: policy } });
});
afterAll(async () => {
  await h?.close();
});

describe('@pantheon <long request>', () => {
  it('answers a 20,000-character mention with its length and the limit, and starts nothing', async () => {
    const before = await h.countWorkflows();
    const mention = await h.slack.appMention({ user: 'U_ALICE', channel: 'C_OPS', text: 'a'.repeat(20_000) });
    expect(mention.status).toBe(200);
    const reply = await h.slack.waitUntil(
      () => h.slack.thread('C_OPS', mention.ts!).find((m) => m.bot_id),
      10_000,
    );
    expect(reply.text).toBe(
      'Sorry <@U_ALICE>, your message is 20000 characters; the agent takes at most 12000. Shorten it and mention me again.',
    );
    expect(await h.countWorkflows()).toBe(before);
  });
});
