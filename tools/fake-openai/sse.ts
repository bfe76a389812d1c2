// Server-sent events, shared by both APIs. Each API turns a reply into a StreamPlan (pure
// data); this module alone deals with timing, client aborts and scripted breakage, so the
// two wire formats cannot drift apart in how they fail.

import type { Exchange } from './exchange.ts';

/** One SSE message. Responses API frames carry `event:`; Chat Completions frames do not. */
export interface SseFrame {
  event?: string;
  data: object | '[DONE]';
}

export function encodeFrame(frame: SseFrame): string {
  const data = frame.data === '[DONE]' ? '[DONE]' : JSON.stringify(frame.data);
  return `${frame.event === undefined ? '' : `event: ${frame.event}\n`}data: ${data}\n\n`;
}

/** A complete stream, split where scripted failures may cut in. */
export interface StreamPlan {
  opening: SseFrame[];
  /** One frame per text delta, in order. */
  deltas: SseFrame[];
  closing: SseFrame[];
  /** The frames that report an API-level failure after `sentDeltas` deltas went out. */
  failure(sentDeltas: number): SseFrame[];
}

export interface StreamCut {
  afterDeltas: number;
  /**
   * `disconnect` destroys the socket; `failure` sends the plan's failure frames and ends;
   * `end` ends the body cleanly without the closing frames; `malformed` sends a frame that is
   * not JSON and ends.
   */
  mode: 'disconnect' | 'failure' | 'end' | 'malformed';
  /** For `malformed`: the data line sent. */
  data?: string;
}

/** Pauses the stream after `afterDeltas` deltas until `released` resolves (or the client leaves). */
export interface StreamStall {
  afterDeltas: number;
  released: Promise<void>;
}

/** Sends the plan, waiting `tokenDelayMs` before each delta; stops quietly if the client leaves. */
export async function pumpStream(ex: Exchange, plan: StreamPlan, tokenDelayMs: number, cut?: StreamCut, stall?: StreamStall): Promise<void> {
  ex.startEventStream();
  await ex.write(plan.opening.map(encodeFrame).join(''));
  for (const [index, frame] of plan.deltas.entries()) {
    if (cut && index >= cut.afterDeltas) return applyCut(ex, plan, cut, index);
    if (stall && index === stall.afterDeltas) await Promise.race([stall.released, ex.untilGone()]);
    await ex.sleep(tokenDelayMs);
    if (ex.gone) return;
    await ex.write(encodeFrame(frame));
  }
  if (cut) return applyCut(ex, plan, cut, plan.deltas.length);
  if (stall && stall.afterDeltas >= plan.deltas.length) await Promise.race([stall.released, ex.untilGone()]);
  await ex.write(plan.closing.map(encodeFrame).join(''));
  ex.end();
}

async function applyCut(ex: Exchange, plan: StreamPlan, cut: StreamCut, sentDeltas: number): Promise<void> {
  switch (cut.mode) {
    case 'disconnect':
      ex.disconnect();
      return;
    case 'end':
      break;
    case 'malformed':
      await ex.write(`data: ${cut.data ?? '{"type": "response.output_text.delta", "delta": "cut off'}\n\n`);
      break;
    case 'failure':
      await ex.write(plan.failure(sentDeltas).map(encodeFrame).join(''));
      break;
  }
  ex.end();
}
