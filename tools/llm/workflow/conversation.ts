import type { LlmMessageInput } from '../models';

/**
 * A tool-calling conversation kept within a character budget, so neither workflow state nor each
 * `llm.generate` input grows with the number of steps. The head (everything before the first
 * assistant turn: system prompt and request) always stays; then the latest turns that fit, where a
 * turn is an assistant message with the tool results answering it (never split: providers reject
 * a tool result without its call). A turn too big on its own has its texts shortened to fit.
 * `withTrimNote` tells the model how many turns were left out. Pure, workflow-safe.
 */
export function trimConversation(
  messages: readonly LlmMessageInput[],
  maxChars: number,
): { messages: LlmMessageInput[]; dropped: number } {
  const firstAssistant = messages.findIndex((m) => m.role === 'assistant');
  if (firstAssistant < 0) return { messages: [...messages], dropped: 0 };
  const head = messages.slice(0, firstAssistant);
  const turns = turnsOf(messages.slice(firstAssistant));

  const room = maxChars - sizeOf(head) - noteReserve;
  const kept: LlmMessageInput[][] = [];
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const size = sizeOf(turns[i]!);
    if (used + size > room) break;
    kept.unshift(turns[i]!);
    used += size;
  }
  // The latest turn always stays, shortened if it does not fit: the model must see its results.
  if (kept.length === 0 && turns.length > 0) kept.push(shorten(turns[turns.length - 1]!, Math.max(0, room)));
  return { messages: [...head, ...kept.flat()], dropped: turns.length - kept.length };
}

/** The conversation to send: when turns were left out, the last head message (the request) says how many. */
export function withTrimNote(messages: readonly LlmMessageInput[], dropped: number): LlmMessageInput[] {
  const at = messages.findIndex((m) => m.role === 'assistant') - 1;
  const last = at >= 0 ? messages[at] : undefined;
  if (dropped === 0 || !last || (last.role !== 'user' && last.role !== 'system')) return [...messages];
  const note = `\n\n(Pantheon: ${dropped} earlier step${dropped === 1 ? ' was' : 's were'} left out to keep this conversation short; their actions are recorded.)`;
  return messages.map((m, i) => (i === at ? { ...m, content: `${m.content}${note}` } : m));
}

/** Room kept for the note of `withTrimNote`. */
const noteReserve = 120;

/** Characters a message contributes (texts and tool-call arguments). */
export function messageChars(message: LlmMessageInput): number {
  const calls = message.role === 'assistant' ? (message.toolCalls ?? []) : [];
  return (message.content ?? '').length + calls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
}

function sizeOf(messages: readonly LlmMessageInput[]): number {
  return messages.reduce((n, m) => n + messageChars(m), 0);
}

function turnsOf(messages: readonly LlmMessageInput[]): LlmMessageInput[][] {
  const turns: LlmMessageInput[][] = [];
  for (const message of messages) {
    if (message.role === 'assistant' || turns.length === 0) turns.push([message]);
    else turns[turns.length - 1]!.push(message);
  }
  return turns;
}

/** Each text of the turn cut to an equal share of `maxChars` (tool-call arguments stay whole: they are JSON). */
function shorten(turn: readonly LlmMessageInput[], maxChars: number): LlmMessageInput[] {
  const fixed = turn.reduce((n, m) => n + messageChars(m) - (m.content ?? '').length, 0);
  const share = Math.max(200, Math.floor((maxChars - fixed) / turn.length));
  return turn.map((m) => {
    const content = m.content ?? '';
    return content.length > share ? { ...m, content: `${content.slice(0, share)}… (truncated)` } : m;
  });
}
