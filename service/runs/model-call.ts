// One call to a model through the official SDK, streamed, on either API. Only the parameters the
// user set are sent: reasoning models reject `temperature`, for one.
//
// A call has succeeded only when the provider said the model finished: `response.completed` (or
// `response.incomplete`) on the Responses API, a chunk with a `finish_reason` on Chat Completions.
// The SDK ends an aborted stream without an error, and a stream whose body simply ends looks the
// same, so the end of the iteration alone proves nothing.
import { APIError, APIUserAbortError, type OpenAI } from 'openai';
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
  /**
   * Set when the model stopped before the end of its answer, in the provider's words:
   * `max_output_tokens` / `length` (the output limit), `content_filter`.
   */
  incompleteReason: string | undefined;
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

/** The stream stopped (connection reset, or the body ended) before the provider said the model finished. */
export class StreamCutOff extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'StreamCutOff';
  }
}

/** The provider sent a frame that is not JSON. */
export class MalformedStream extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'MalformedStream';
  }
}

/**
 * Reads a stream to its end and says why it ended. `read` returns true once the provider said the
 * model finished; errors the provider reported (APIError, StreamFailure) pass through.
 */
async function readStream<T>(stream: AsyncIterable<T>, signal: AbortSignal, read: (item: T) => boolean): Promise<void> {
  let finished = false;
  try {
    for await (const item of stream) if (read(item)) finished = true;
  } catch (error) {
    if (signal.aborted) throw new APIUserAbortError();
    if (error instanceof APIError || error instanceof StreamFailure) throw error;
    if (error instanceof SyntaxError) throw new MalformedStream(`The model provider sent an event that is not JSON (${error.message}).`, { cause: error });
    const detail = error instanceof Error ? error.message : String(error);
    throw new StreamCutOff(`The connection to the model provider was lost before the model finished (${detail}).`, { cause: error });
  }
  if (finished) return;
  // Our own abort (cancel, timeout, shutdown): the SDK returned quietly.
  if (signal.aborted) throw new APIUserAbortError();
  throw new StreamCutOff('The model provider ended the stream before the model finished (no completion event).');
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
  let incompleteReason: string | undefined;
  await readStream(stream, request.signal, (event) => {
    switch (event.type) {
      case 'response.output_text.delta':
        output += event.delta;
        request.onDelta(event.delta);
        return false;
      case 'response.completed':
        if (event.response.usage) usage = usageFromResponses(event.response.usage);
        return true;
      case 'response.incomplete':
        if (event.response.usage) usage = usageFromResponses(event.response.usage);
        incompleteReason = event.response.incomplete_details?.reason ?? 'incomplete';
        return true;
      case 'response.failed': {
        const error = event.response.error;
        throw new StreamFailure(error?.code ?? 'response_failed', error?.message ?? 'The model reported a failure');
      }
      case 'error':
        throw new StreamFailure(event.code ?? 'stream_error', event.message);
      default:
        return false;
    }
  });
  return { output, usage, incompleteReason };
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
  let finishReason: string | undefined;
  // The usage chunk follows the one with the finish_reason; the SDK swallows `[DONE]` itself.
  await readStream(stream, request.signal, (chunk) => {
    const choice = chunk.choices[0];
    const text = choice?.delta?.content;
    if (text) {
      output += text;
      request.onDelta(text);
    }
    if (chunk.usage) usage = usageFromChat(chunk.usage);
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    return finishReason !== undefined;
  });
  const incompleteReason = finishReason === 'length' || finishReason === 'content_filter' ? finishReason : undefined;
  return { output, usage, incompleteReason };
}

export function callModel(client: OpenAI, request: ModelCallRequest): Promise<ModelCallResult> {
  return request.api === 'responses' ? callResponses(client, request) : callChat(client, request);
}
