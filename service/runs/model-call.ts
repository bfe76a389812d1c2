// One call to a model through the official SDK, streamed, on either API. Only the parameters the
// user set are sent: reasoning models reject `temperature`, for one.
import type OpenAI from 'openai';
import type { ModelApi, RunParams, Usage } from '../../contract/index.ts';
import { usageFromChat, usageFromResponses } from './usage-cost.ts';

export interface ModelCallRequest {
  api: ModelApi;
  model: string;
  /** System prompts: the rendered content. */
  instructions: string | undefined;
  /** The user message. */
  userMessage: string;
  params: RunParams;
  signal: AbortSignal;
  onDelta(text: string): void;
}

export interface ModelCallResult {
  output: string;
  usage: Usage | null;
}

/** A failure the provider reported inside an otherwise successful stream. */
export class StreamFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StreamFailure';
  }
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function callResponses(client: OpenAI, request: ModelCallRequest): Promise<ModelCallResult> {
  const { params } = request;
  const stream = await client.responses.create(
    {
      model: request.model,
      input: request.userMessage,
      stream: true,
      // Test runs are ours to keep; the provider need not store them.
      store: false,
      ...defined({
        instructions: request.instructions,
        temperature: params.temperature,
        top_p: params.topP,
        max_output_tokens: params.maxOutputTokens,
      }),
      ...(params.reasoningEffort ? { reasoning: { effort: params.reasoningEffort } } : {}),
      ...(params.verbosity ? { text: { verbosity: params.verbosity } } : {}),
    },
    { signal: request.signal },
  );
  let output = '';
  let usage: Usage | null = null;
  for await (const event of stream) {
    switch (event.type) {
      case 'response.output_text.delta':
        output += event.delta;
        request.onDelta(event.delta);
        break;
      case 'response.completed':
      case 'response.incomplete':
        if (event.response.usage) usage = usageFromResponses(event.response.usage);
        break;
      case 'response.failed': {
        const error = event.response.error;
        throw new StreamFailure(error?.code ?? 'response_failed', error?.message ?? 'The model reported a failure');
      }
      case 'error':
        throw new StreamFailure(event.code ?? 'stream_error', event.message);
      default:
        break;
    }
  }
  return { output, usage };
}

async function callChat(client: OpenAI, request: ModelCallRequest): Promise<ModelCallResult> {
  const { params } = request;
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  if (request.instructions !== undefined) messages.push({ role: 'system', content: request.instructions });
  messages.push({ role: 'user', content: request.userMessage });
  const stream = await client.chat.completions.create(
    {
      model: request.model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      ...defined({
        temperature: params.temperature,
        top_p: params.topP,
        max_completion_tokens: params.maxOutputTokens,
        reasoning_effort: params.reasoningEffort,
        verbosity: params.verbosity,
      }),
    },
    { signal: request.signal },
  );
  let output = '';
  let usage: Usage | null = null;
  for await (const chunk of stream) {
    const text = chunk.choices[0]?.delta?.content;
    if (text) {
      output += text;
      request.onDelta(text);
    }
    if (chunk.usage) usage = usageFromChat(chunk.usage);
  }
  return { output, usage };
}

export function callModel(client: OpenAI, request: ModelCallRequest): Promise<ModelCallResult> {
  return request.api === 'responses' ? callResponses(client, request) : callChat(client, request);
}
