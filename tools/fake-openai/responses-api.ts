// Wire shapes of `POST /v1/responses`, typed against the SDK's own declarations so that a
// field the SDK's strict stream helpers rely on cannot be forgotten without tsc noticing.

import type {
  Response,
  ResponseErrorEvent,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseOutputText,
  ResponseReasoningItem,
  ResponseStatus,
  ResponseStreamEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import { invalidRequest, type OpenAIErrorObject } from './errors.ts';
import { isReasoningModel } from './model-rules.ts';
import { responsesPromptText, type Json, type JsonObject } from './request-body.ts';
import type { ApiAdapter, ReplyContext } from './respond.ts';
import type { SseFrame, StreamPlan } from './sse.ts';

/**
 * The response object as sent on the wire. `output_text` is not part of it: the SDK computes
 * that convenience field itself. `usage` is null until the response completes. `store` is
 * sent by the live API although the SDK does not declare it.
 */
type WireResponse = Omit<Response, 'output_text' | 'usage'> & { usage: ResponseUsage | null; store: boolean };

/** Stream events with WireResponse in place of Response. */
type WireEvent = ResponseStreamEvent extends infer E
  ? E extends { response: Response }
    ? Omit<E, 'response'> & { response: WireResponse }
    : E
  : never;

/**
 * The `error` event as the live API sends it: OpenAI documents code/message/param at the top
 * level, but the service nests them in `error` (see openai/openai-dotnet#881). Sending both
 * satisfies either reader; the nested object is what makes the Node SDK throw an `APIError`.
 */
type WireErrorEvent = ResponseErrorEvent & { error: OpenAIErrorObject };

function numberOr<T>(value: Json | undefined, fallback: T): number | T {
  return typeof value === 'number' ? value : fallback;
}

function stringOr<T>(value: Json | undefined, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

function toWireUsage(ctx: ReplyContext): ResponseUsage {
  const { usage } = ctx;
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedTokens, cache_write_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.totalTokens,
  };
}

/** The response envelope; request settings are echoed back the way the real API does. */
function envelope(ctx: ReplyContext, status: ResponseStatus, output: ResponseOutputItem[], usage: ResponseUsage | null): WireResponse {
  const { body } = ctx;
  const reasoning = isReasoningModel(ctx.model);
  const requestedReasoning = body['reasoning'];
  const effort = typeof requestedReasoning === 'object' && requestedReasoning !== null && !Array.isArray(requestedReasoning) ? requestedReasoning['effort'] : undefined;
  return {
    id: `resp_fake_${ctx.requestId}`,
    object: 'response',
    created_at: ctx.createdAt,
    status,
    background: false,
    completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: null,
    incomplete_details: null,
    instructions: stringOr(body['instructions'], null),
    max_output_tokens: numberOr(body['max_output_tokens'], null),
    metadata: {},
    model: ctx.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: stringOr(body['previous_response_id'], null),
    reasoning: reasoning
      ? { effort: effort === 'minimal' || effort === 'low' || effort === 'high' ? effort : 'medium', summary: null }
      : { effort: null, summary: null },
    service_tier: 'default',
    store: typeof body['store'] === 'boolean' ? body['store'] : true,
    temperature: numberOr(body['temperature'], 1),
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: numberOr(body['top_p'], 1),
    truncation: 'disabled',
    usage,
  };
}

function outputText(text: string): ResponseOutputText {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function message(ctx: ReplyContext, status: 'in_progress' | 'completed', content: ResponseOutputText[]): ResponseOutputMessage {
  return { id: `msg_fake_${ctx.requestId}`, type: 'message', status, role: 'assistant', content };
}

/** Reasoning models put a (summary-less) reasoning item first, as the real API does. */
function reasoningItems(ctx: ReplyContext): ResponseReasoningItem[] {
  return isReasoningModel(ctx.model) ? [{ id: `rs_fake_${ctx.requestId}`, type: 'reasoning', summary: [] }] : [];
}

/** `response.completed`, or `response.incomplete` when the model stopped at a limit or a filter. */
function finalResponse(ctx: ReplyContext): WireResponse {
  if (ctx.finishReason === 'stop') {
    const output = [...reasoningItems(ctx), message(ctx, 'completed', [outputText(ctx.text)])];
    return envelope(ctx, 'completed', output, toWireUsage(ctx));
  }
  const output = [...reasoningItems(ctx), { ...message(ctx, 'completed', [outputText(ctx.text)]), status: 'incomplete' as const }];
  const reason = ctx.finishReason === 'length' ? 'max_output_tokens' : 'content_filter';
  return { ...envelope(ctx, 'incomplete', output, toWireUsage(ctx)), incomplete_details: { reason } };
}

function frame(event: WireEvent | WireErrorEvent): SseFrame {
  return { event: event.type, data: event };
}

function streamPlan(ctx: ReplyContext): StreamPlan {
  let seq = 0;
  const next = (): number => seq++;
  const started = envelope(ctx, 'in_progress', [], null);
  const reasoning = reasoningItems(ctx);
  const messageIndex = reasoning.length;
  const itemId = `msg_fake_${ctx.requestId}`;
  const at = { item_id: itemId, output_index: messageIndex, content_index: 0 };

  const opening: SseFrame[] = [
    frame({ type: 'response.created', sequence_number: next(), response: started }),
    frame({ type: 'response.in_progress', sequence_number: next(), response: started }),
    ...reasoning.flatMap((item, index) => [
      frame({ type: 'response.output_item.added', sequence_number: next(), output_index: index, item }),
      frame({ type: 'response.output_item.done', sequence_number: next(), output_index: index, item }),
    ]),
    frame({ type: 'response.output_item.added', sequence_number: next(), output_index: messageIndex, item: message(ctx, 'in_progress', []) }),
    frame({ type: 'response.content_part.added', sequence_number: next(), ...at, part: outputText('') }),
  ];
  const firstDeltaSeq = seq;
  const deltas = ctx.chunks.map((delta) =>
    frame({ type: 'response.output_text.delta', sequence_number: next(), ...at, delta, logprobs: [] }),
  );
  const closing: SseFrame[] = [
    frame({ type: 'response.output_text.done', sequence_number: next(), ...at, text: ctx.text, logprobs: [] }),
    frame({ type: 'response.content_part.done', sequence_number: next(), ...at, part: outputText(ctx.text) }),
    frame({ type: 'response.output_item.done', sequence_number: next(), output_index: messageIndex, item: message(ctx, 'completed', [outputText(ctx.text)]) }),
    ctx.finishReason === 'stop'
      ? frame({ type: 'response.completed', sequence_number: next(), response: finalResponse(ctx) })
      : frame({ type: 'response.incomplete', sequence_number: next(), response: finalResponse(ctx) }),
  ];

  const failure = (sentDeltas: number): SseFrame[] => {
    const sequence_number = firstDeltaSeq + sentDeltas;
    const { event, type, code, message: text } = ctx.failure;
    if (event === 'error') {
      return [frame({ type: 'error', sequence_number, code, message: text, param: null, error: { type, code, message: text, param: null } })];
    }
    // The SDK types `code` as a closed union; the fake lets tests send any code, like a newer API could.
    const failed: WireResponse = { ...envelope(ctx, 'failed', [], null), error: { code: code as NonNullable<Response['error']>['code'], message: text } };
    return [frame({ type: 'response.failed', sequence_number, response: failed })];
  };

  return { opening, deltas, closing, failure };
}

export const responsesApi: ApiAdapter = {
  kind: 'responses',
  validate(body: JsonObject) {
    if (typeof body['model'] !== 'string') return invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
    if (body['messages'] !== undefined) {
      return invalidRequest("Unsupported parameter: 'messages'. In the Responses API, this parameter has moved to 'input'.", 'messages', 'unsupported_parameter');
    }
    return undefined;
  },
  promptText: responsesPromptText,
  json: finalResponse,
  streamPlan,
};
