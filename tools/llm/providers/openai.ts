import OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { FinishReason, LlmMessage, ProviderName, ToolCall, ToolChoice } from '../models';
import { classify, ProviderError } from './provider';
import type { ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, LlmProvider } from './provider';

export interface OpenAiProviderOptions {
  /** openai, mistral, or openai-compatible (Ollama, vLLM, LiteLLM): all speak the same API. */
  readonly name: Extract<ProviderName, 'openai' | 'openai-compatible' | 'mistral'>;
  readonly baseURL: string;
  readonly apiKey?: string;
}

/** The OpenAI Chat Completions and Embeddings APIs, through the official SDK. */
export class OpenAiProvider implements LlmProvider {
  readonly name: OpenAiProviderOptions['name'];
  readonly #client: OpenAI;

  constructor(options: OpenAiProviderOptions) {
    this.name = options.name;
    this.#client = new OpenAI({
      // Local servers often need no key; the SDK insists on one.
      apiKey: options.apiKey ?? 'unused',
      baseURL: options.baseURL,
      // The router owns retries; two stacked retry policies multiply waits.
      maxRetries: 0,
      organization: null,
      project: null,
    });
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const format = request.responseFormat;
    const asTool = format && request.structuredOutput === 'tool';
    const tools: ChatCompletionTool[] = (request.tools ?? []).map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
    if (asTool) {
      tools.push({
        type: 'function',
        function: {
          name: format.name,
          description: format.description ?? '',
          parameters: format.schema,
          strict: format.strict,
        },
      });
    }
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: request.model,
      messages: request.messages.map(toOpenAiMessage),
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      // OpenAI's own API wants max_completion_tokens (reasoning models reject max_tokens); other
      // servers mostly still only know max_tokens.
      ...(this.name === 'openai'
        ? { max_completion_tokens: request.maxTokens }
        : { max_tokens: request.maxTokens }),
      ...(tools.length > 0 && { tools }),
      ...(asTool
        ? { tool_choice: { type: 'function', function: { name: format.name } } }
        : request.toolChoice && { tool_choice: toOpenAiToolChoice(request.toolChoice) }),
      ...(format &&
        !asTool && {
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: format.name,
              description: format.description,
              schema: format.schema,
              strict: format.strict,
            },
          },
        }),
    };
    const completion = await this.#call(() =>
      this.#client.chat.completions.create(params, { timeout: request.timeoutMs, signal: request.signal }),
    );
    const choice = completion.choices[0];
    if (!choice) throw new ProviderError('server', 'the response had no choices');
    const calls: ToolCall[] = (choice.message.tool_calls ?? []).flatMap((call) =>
      call.type === 'function'
        ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
        : [],
    );
    const answer = asTool ? calls.find((call) => call.name === format.name) : undefined;
    return {
      text: answer?.arguments ?? choice.message.content ?? choice.message.refusal ?? '',
      toolCalls: answer ? calls.filter((call) => call !== answer) : calls,
      finishReason: answer ? 'stop' : finishReason(choice.finish_reason),
      usage: {
        inputTokens: completion.usage?.prompt_tokens ?? 0,
        outputTokens: completion.usage?.completion_tokens ?? 0,
      },
      providerModel: completion.model || request.model,
    };
  }

  async embed(request: EmbedRequest): Promise<EmbedResponse> {
    const response = await this.#call(() =>
      this.#client.embeddings.create(
        // float: the SDK otherwise asks for base64, which OpenAI-compatible servers often lack.
        { model: request.model, input: [...request.texts], encoding_format: 'float' },
        { timeout: request.timeoutMs, signal: request.signal },
      ),
    );
    const vectors: number[][] = new Array<number[]>(request.texts.length);
    for (const item of response.data) vectors[item.index] = item.embedding;
    if (response.data.length !== request.texts.length || vectors.some((v) => !v)) {
      throw new ProviderError(
        'server',
        `asked for ${request.texts.length} embeddings, got ${response.data.length}`,
      );
    }
    return {
      vectors,
      inputTokens: response.usage?.prompt_tokens ?? 0,
      providerModel: response.model || request.model,
    };
  }

  async #call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toProviderError(error);
    }
  }
}

function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof OpenAI.APIError) {
    return classify({
      // instanceof narrows to APIError<any, any, any>; these are the declared types.
      status: error.status as number | undefined,
      headers: error.headers as Headers | undefined,
      code: error.code,
      message: error.message,
      timeout: error instanceof OpenAI.APIConnectionTimeoutError,
      connection: error instanceof OpenAI.APIConnectionError,
      aborted: error instanceof OpenAI.APIUserAbortError,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return classify({ message, timeout: false, connection: false, aborted: false });
}

function toOpenAiMessage(message: LlmMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls?.length && {
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        }),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function toOpenAiToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function finishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    default:
      return 'other';
  }
}
