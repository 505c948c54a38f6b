import type { FakeReply } from './fake-server';

/** Response bodies in the providers' real wire formats, for fake servers. */

export interface OpenAiChatReply {
  readonly content?: string | null;
  readonly toolCalls?: readonly { id: string; name: string; arguments: string }[];
  readonly model?: string;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly finishReason?: string;
}

export function openAiChat(reply: OpenAiChatReply = {}): FakeReply {
  const promptTokens = reply.promptTokens ?? 10;
  const completionTokens = reply.completionTokens ?? 5;
  return {
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: reply.model ?? 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: reply.content === undefined ? 'ok' : reply.content,
            refusal: null,
            ...(reply.toolCalls && {
              tool_calls: reply.toolCalls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments },
              })),
            }),
          },
          logprobs: null,
          finish_reason: reply.finishReason ?? (reply.toolCalls ? 'tool_calls' : 'stop'),
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    },
  };
}

export function openAiError(
  status: number,
  message: string,
  extra: { code?: string; type?: string; headers?: Record<string, string> } = {},
): FakeReply {
  return {
    status,
    headers: extra.headers,
    body: { error: { message, type: extra.type ?? 'server_error', param: null, code: extra.code ?? null } },
  };
}

export function openAiEmbeddings(
  vectors: readonly (readonly number[])[],
  options: { model?: string; promptTokens?: number; shuffle?: boolean } = {},
): FakeReply {
  const data = vectors.map((embedding, index) => ({ object: 'embedding', index, embedding }));
  // Servers may list items out of order; `index` is what counts.
  if (options.shuffle) data.reverse();
  return {
    body: {
      object: 'list',
      data,
      model: options.model ?? 'text-embedding-3-small',
      usage: {
        prompt_tokens: options.promptTokens ?? vectors.length * 3,
        total_tokens: options.promptTokens ?? vectors.length * 3,
      },
    },
  };
}

export interface AnthropicReply {
  readonly text?: string;
  readonly toolUse?: readonly { id: string; name: string; input: unknown }[];
  readonly model?: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly stopReason?: string;
}

export function anthropicMessage(reply: AnthropicReply = {}): FakeReply {
  const content = [
    ...(reply.text !== undefined ? [{ type: 'text', text: reply.text, citations: null }] : []),
    ...(reply.toolUse ?? []).map((tool) => ({
      type: 'tool_use',
      id: tool.id,
      name: tool.name,
      input: tool.input,
    })),
  ];
  return {
    body: {
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model: reply.model ?? 'claude-sonnet-5-5',
      content,
      stop_reason: reply.stopReason ?? (reply.toolUse?.length ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      usage: {
        input_tokens: reply.inputTokens ?? 12,
        output_tokens: reply.outputTokens ?? 6,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
      },
    },
  };
}

export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
): FakeReply {
  return { status, headers, body: { type: 'error', error: { type, message } } };
}
