import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsNonStreaming,
  MessageParam,
  Tool as AnthropicTool,
  ToolChoice as AnthropicToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import type { FinishReason, LlmMessage, ToolCall, ToolChoice } from '../models';
import { classify, ProviderError } from './provider';
import type { ChatRequest, ChatResponse, EmbedResponse, LlmProvider } from './provider';

export interface AnthropicProviderOptions {
  readonly apiKey: string;
  readonly baseURL: string;
}

/** The Anthropic Messages API; structured output through a forced tool call. */
export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic';
  readonly #client: Anthropic;

  constructor(options: AnthropicProviderOptions) {
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      authToken: null,
      baseURL: options.baseURL,
      // The router owns retries; two stacked retry policies multiply waits.
      maxRetries: 0,
      // Generations are traced by tools/llm/tracing.ts, after redaction.
      openTelemetry: false,
    });
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const format = request.responseFormat;
    const tools: AnthropicTool[] = (request.tools ?? []).map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: { ...tool.parameters, type: 'object' },
    }));
    if (format) {
      tools.push({
        name: format.name,
        description: format.description ?? 'Give the answer.',
        input_schema: { ...format.schema, type: 'object' },
      });
    }
    const system = request.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n\n');
    const params: MessageCreateParamsNonStreaming = {
      model: request.model,
      max_tokens: request.maxTokens,
      messages: toAnthropicMessages(request.messages),
      ...(system && { system }),
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(tools.length > 0 && { tools }),
      ...(format
        ? { tool_choice: { type: 'tool', name: format.name } }
        : request.toolChoice && { tool_choice: toAnthropicToolChoice(request.toolChoice) }),
    };
    let message: Anthropic.Message;
    try {
      message = await this.#client.messages.create(params, {
        timeout: request.timeoutMs,
        signal: request.signal,
      });
    } catch (error) {
      throw toProviderError(error);
    }
    let text = '';
    const calls: ToolCall[] = [];
    for (const block of message.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'tool_use')
        calls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input) });
    }
    const answer = format ? calls.find((call) => call.name === format.name) : undefined;
    const usage = message.usage;
    return {
      text: answer ? answer.arguments : text,
      toolCalls: answer ? calls.filter((call) => call !== answer) : calls,
      finishReason: answer ? 'stop' : stopReason(message.stop_reason),
      usage: {
        inputTokens:
          usage.input_tokens +
          (usage.cache_creation_input_tokens ?? 0) +
          (usage.cache_read_input_tokens ?? 0),
        outputTokens: usage.output_tokens,
      },
      providerModel: message.model || request.model,
    };
  }

  async embed(): Promise<EmbedResponse> {
    throw new ProviderError(
      'invalid_request',
      'Anthropic has no embeddings API: use an openai, openai-compatible or mistral model',
    );
  }
}

function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof Anthropic.APIError) {
    return classify({
      // instanceof narrows to APIError<any, any, any>; these are the declared types.
      status: error.status as number | undefined,
      headers: error.headers as Headers | undefined,
      code: error.errorCode,
      message: error.message,
      timeout: error instanceof Anthropic.APIConnectionTimeoutError,
      connection: error instanceof Anthropic.APIConnectionError,
      aborted: error instanceof Anthropic.APIUserAbortError,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return classify({ message, timeout: false, connection: false, aborted: false });
}

/**
 * System text goes in `system`; tool results become user turns of tool_result blocks, merged with
 * their neighbours because Anthropic wants every result right after the turn that asked for it.
 */
function toAnthropicMessages(messages: readonly LlmMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    const last = out.at(-1);
    if (last?.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        break;
      case 'user':
        push('user', [{ type: 'text', text: message.content }]);
        break;
      case 'assistant':
        push('assistant', [
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...(message.toolCalls ?? []).map((call) => ({
            type: 'tool_use' as const,
            id: call.id,
            name: call.name,
            input: parseArguments(call.arguments),
          })),
        ]);
        break;
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }]);
        break;
    }
  }
  return out;
}

/** Anthropic takes tool input as an object; unparseable arguments become an empty one. */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function toAnthropicToolChoice(choice: ToolChoice): AnthropicToolChoice {
  if (typeof choice !== 'string') return { type: 'tool', name: choice.name };
  return choice === 'required' ? { type: 'any' } : { type: choice };
}

function stopReason(reason: string | null): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}
