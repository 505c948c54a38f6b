import { describe, expect, it } from 'vitest';
import { validateBlocks } from '@pantheon/local-slack/block-kit';
import type { RunInfo, RunStatus } from '../models';
import {
  actions,
  button,
  context,
  fieldSections,
  header,
  plainText,
  section,
  sections,
  textMessage,
} from './kit';
import { clip, codeSections, escapeMrkdwn, limits, slackDate, splitText } from './mrkdwn';
import { failureMessage, inlineLimit, resultMessage } from './result';
import { rootMessage } from './root';
import { progressLine } from './step';

const run: RunInfo = {
  workflowId: 'invoice-review-s1',
  runId: 'r1',
  workflow: 'invoice-review',
  startedAt: '2026-01-01T00:00:00.000Z',
};
const at = (ms: number) => new Date(Date.parse(run.startedAt) + ms).toISOString();
const status = (patch: Partial<RunStatus>): RunStatus => ({
  state: 'running',
  step: 0,
  at: at(3100),
  ...patch,
});
const url = 'http://temporal/ui';

describe('mrkdwn', () => {
  it('splits without losing a character or cutting an entity', () => {
    const text = escapeMrkdwn('a&b<c>\n'.repeat(1000));
    const chunks = splitText(text, 100);
    expect(chunks.join('')).toBe(text);
    expect(chunks.every((c) => c.length <= 100 && !/&[a-z]*$/.test(c))).toBe(true);
    const line = escapeMrkdwn('&'.repeat(500));
    expect(splitText(line, 99).join('')).toBe(line);
    expect(splitText(line, 99).every((c) => /^(&amp;)+$/.test(c))).toBe(true);
  });

  it('keeps code sections within a section and re-opens the fence', () => {
    const sections = codeSections('x'.repeat(7000));
    expect(sections).toHaveLength(3);
    expect(sections.every((s) => s.length <= 3000 && s.startsWith('```\n') && s.endsWith('\n```'))).toBe(
      true,
    );
  });
});

// One implementation of each: bot replies, approval cards, the budget question and the run thread
// all build from these (they used to carry their own truncate, slackDate, sections and buttons).
describe('Block Kit primitives', () => {
  it('clips labels with an ellipsis, at exactly the limit', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('ab…');
    expect(clip('x'.repeat(5000), limits.sectionText)).toHaveLength(limits.sectionText);
  });

  it("writes dates Slack localises, with the bot's and the approval cards' tokens and fallbacks", () => {
    const date = new Date('2026-03-01T12:00:00.000Z');
    expect(slackDate(date)).toBe('<!date^1772366400^{date_short_pretty} {time}|2026-03-01T12:00:00.000Z>');
    expect(
      slackDate(date, { tokens: '{date_short_pretty} at {time}', fallback: '2026-03-01 12:00 UTC' }),
    ).toBe('<!date^1772366400^{date_short_pretty} at {time}|2026-03-01 12:00 UTC>');
  });

  it('keeps every text block within Slack’s limits: one section is cut, sections split, nothing lost', () => {
    const long = 'line\n'.repeat(1000);
    expect(section('*hi*')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } });
    expect((section(long).text?.text ?? '').length).toBe(limits.sectionText);
    const split = sections(long);
    expect(split.map((b) => b.text?.text).join('')).toBe(long);
    expect(split.every((b) => (b.text?.text ?? '').length <= limits.sectionText)).toBe(true);
    expect(context('x'.repeat(4000)).elements[0]).toMatchObject({
      type: 'mrkdwn',
      text: `${'x'.repeat(2999)}…`,
    });
    const reply = textMessage(long);
    expect(reply.text).toHaveLength(limits.sectionText);
    expect(reply.blocks).toEqual(split);
  });

  it('cuts headers to 150 and button labels to 75 characters (the budget button used to slice without an ellipsis)', () => {
    expect(header('x'.repeat(200), { emoji: true }).text).toEqual({
      type: 'plain_text',
      text: `${'x'.repeat(149)}…`,
      emoji: true,
    });
    expect(header('Help')).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Help' } });
    expect(plainText('Cancel')).toEqual({ type: 'plain_text', text: 'Cancel' });
    const raise = button({
      actionId: 'a',
      text: `Raise to ${'9'.repeat(100)}`,
      style: 'primary',
      value: '{"v":1}',
    });
    expect(raise).toEqual({
      type: 'button',
      action_id: 'a',
      style: 'primary',
      text: { type: 'plain_text', text: `Raise to ${'9'.repeat(65)}…` },
      value: '{"v":1}',
    });
    expect(button({ actionId: 'b', text: 'Stop' })).toEqual({
      type: 'button',
      action_id: 'b',
      text: { type: 'plain_text', text: 'Stop' },
    });
    const block = actions([raise], 'budget-1');
    expect(block).toEqual({ type: 'actions', block_id: 'budget-1', elements: [raise] });
    expect(actions([raise])).not.toHaveProperty('block_id');
    expect(validateBlocks([block, header('x'.repeat(200))], 'message')).toEqual([]);
  });

  it('puts fields ten to a section, each within 2,000 characters', () => {
    const blocks = fieldSections(
      Array.from({ length: 25 }, (_, i) => (i === 0 ? 'f'.repeat(2500) : `*k${i}*`)),
    );
    expect(blocks.map((b) => b.fields?.length)).toEqual([10, 10, 5]);
    expect(blocks[0]!.fields![0]!.text).toHaveLength(limits.fieldText);
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });
});

describe('run messages', () => {
  it('shows the root status as step n of m · current step · elapsed, then the outcome', () => {
    const target = { channel: 'C1', user: 'U1' };
    const running = rootMessage(
      target,
      run,
      status({ step: 2, totalSteps: 4, current: 'Assessing risk' }),
      url,
    );
    expect(running.text).toBe('⏳ Step 2 of 4 · Assessing risk · 3.1s — invoice-review (invoice-review-s1)');
    expect(validateBlocks(running.blocks, 'message')).toEqual([]);
    const waiting = rootMessage(
      target,
      run,
      status({ state: 'waiting', step: 3, totalSteps: 4, waitingFor: 'a <review>' }),
      url,
    );
    expect(JSON.stringify(waiting.blocks)).toContain('waiting for a &lt;review&gt;');
    const failed = rootMessage(
      target,
      run,
      status({ state: 'failed', failure: { type: 'Boom', message: 'x'.repeat(5000) } }),
      url,
    );
    expect(failed.text).toMatch(/^❌ Failed after 3.1s — invoice-review \(invoice-review-s1\): Boom: x+…$/);
    expect(validateBlocks(failed.blocks, 'message')).toEqual([]);
    expect(progressLine(status({ step: 1, totalSteps: 4, current: 'Looking up' }), 'step')?.text).toBe(
      '▸ Step 1 of 4 · Looking up',
    );
    expect(progressLine(status({ state: 'waiting', waitingFor: 'a review' }), 'waiting')?.text).toBe(
      '⏸️ Waiting for a review',
    );
    expect(progressLine(status({}), 'resumed')).toBeUndefined();
  });

  it('renders a flat record as fields, a string as text, anything else as JSON — all within Slack’s limits', () => {
    const done = status({ state: 'completed' });
    const record = resultMessage(run, done, { vendor: 'acme & co', amount: 12, ok: true, note: null }, url);
    expect(JSON.stringify(record.blocks)).toContain('"*vendor*\\nacme &amp; co"');
    expect(JSON.stringify(record.blocks)).toContain('"*amount*\\n`12`"');
    const nested = resultMessage(run, done, { items: [{ a: 1 }] }, url);
    expect(JSON.stringify(nested.blocks)).toContain('```');
    const many = resultMessage(
      run,
      done,
      Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, i])),
      url,
    );
    expect(many.blocks.filter((b) => b.type === 'section')).toHaveLength(3);
    for (const message of [
      record,
      nested,
      many,
      resultMessage(run, done, 'plain <text>', url),
      resultMessage(run, done, undefined, url),
    ]) {
      expect(message.file).toBeUndefined();
      expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    }
  });

  it('attaches a long result as a file, whole, instead of truncating it', () => {
    const big = { rows: Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `row ${i}` })) };
    const message = resultMessage(run, status({ state: 'completed' }), big, url);
    expect(JSON.stringify(big, null, 2).length).toBeGreaterThan(inlineLimit);
    expect(message.file).toMatchObject({ filename: 'invoice-review-s1-result.json' });
    expect(JSON.parse(message.file!.content)).toEqual(big);
    expect(message.text).toMatch(/the full result \(\d+\.\d KB\) is attached/);
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
  });

  it('shows a long failure message across sections and says where the rest is', () => {
    const message = failureMessage(
      run,
      status({ state: 'failed', failure: { type: 'Boom', message: 'y'.repeat(200_000) } }),
      url,
    );
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(message.blocks)).toMatch(
      /The message goes on for \d+ more sections: see the run in Temporal/,
    );
    expect(failureMessage(run, status({ state: 'cancelled' }), url).text).toBe(
      '⏹️ invoice-review was cancelled after 3.1s',
    );
  });
});
