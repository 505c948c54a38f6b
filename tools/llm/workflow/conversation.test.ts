import { describe, expect, it } from 'vitest';
import { messageChars, trimConversation, withTrimNote } from './conversation';
import type { LlmMessageInput } from '../models';

const head: LlmMessageInput[] = [
  { role: 'system', content: 'be brief' },
  { role: 'user', content: 'do the thing', untrusted: true },
];

function turn(i: number, resultChars: number): LlmMessageInput[] {
  return [
    { role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'lookup', arguments: `{"i":${i}}` }] },
    { role: 'tool', toolCallId: `c${i}`, content: `${i}:${'x'.repeat(resultChars)}`, untrusted: true },
  ];
}

const total = (messages: readonly LlmMessageInput[]) => messages.reduce((n, m) => n + messageChars(m), 0);

describe('trimConversation', () => {
  it('keeps the head and the latest whole turns within the budget', () => {
    const messages = [...head, ...Array.from({ length: 30 }, (_, i) => turn(i, 1000)).flat()];
    const { messages: kept, dropped } = trimConversation(messages, 5000);
    expect(kept.slice(0, 2)).toEqual(head);
    expect(total(kept)).toBeLessThanOrEqual(5000);
    expect(dropped).toBe(30 - (kept.length - 2) / 2);
    // Whole turns only, the newest last: every tool result follows its call.
    expect(kept.at(-1)).toMatchObject({ role: 'tool', toolCallId: 'c29' });
    for (const [i, m] of kept.entries()) if (m.role === 'tool') expect(kept[i - 1]!.role).toBe('assistant');
  });

  it('shortens a latest turn too big on its own instead of dropping it', () => {
    const { messages: kept, dropped } = trimConversation(
      [...head, ...turn(1, 1000), ...turn(2, 50_000)],
      5000,
    );
    expect(dropped).toBe(1);
    expect(kept).toHaveLength(4);
    expect(total(kept)).toBeLessThanOrEqual(5000);
    expect(kept[3]!.content).toMatch(/^2:x+… \(truncated\)$/);
  });

  it('leaves a conversation within budget alone, and notes what was left out on the request', () => {
    const messages = [...head, ...turn(1, 10)];
    expect(trimConversation(messages, 5000)).toEqual({ messages, dropped: 0 });
    expect(withTrimNote(messages, 0)).toEqual(messages);
    const noted = withTrimNote(messages, 3);
    expect(noted[1]!.content).toMatch(/^do the thing\n\n\(Pantheon: 3 earlier steps were left out/);
    expect(noted.slice(2)).toEqual(messages.slice(2));
  });
});
