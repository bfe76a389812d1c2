// Request bodies arrive as untyped JSON. Rather than casting them to the SDK's param types
// (which would claim a validation we never did), the fake reads them as plain JSON values
// and pulls out only the few fields it needs.

import type { IncomingMessage } from 'node:http';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type ParsedBody = { ok: true; body: JsonObject | null } | { ok: false };

/** Reads the whole request body. An empty body is `null`; anything but a JSON object is `ok: false`. */
export async function readJsonBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    // The client went away mid-upload; the caller sees the closed connection and stops.
    return { ok: false };
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return { ok: true, body: null };
  try {
    const parsed = JSON.parse(raw) as Json;
    return isJsonObject(parsed) ? { ok: true, body: parsed } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** The prompt as the fake sees it: all text (for token counts) and the last user text (for the echo). */
export interface PromptText {
  allText: string;
  lastUserText: string;
}

/** Text of a message `content`: a string, or an array of parts with `text` (input_text / text parts). */
function contentText(content: Json | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isJsonObject(part) && typeof part['text'] === 'string' ? part['text'] : ''))
    .join('');
}

function fromMessages(messages: Json[], preamble: string[]): PromptText {
  const all = [...preamble];
  let lastUserText = '';
  for (const message of messages) {
    if (!isJsonObject(message)) continue;
    const text = contentText(message['content']);
    all.push(text);
    if (message['role'] === 'user') lastUserText = text;
  }
  return { allText: all.join('\n'), lastUserText };
}

/** Responses API: `input` is a string or a list of items; `instructions` is the system prompt. */
export function responsesPromptText(body: JsonObject): PromptText {
  const instructions = typeof body['instructions'] === 'string' ? [body['instructions']] : [];
  const input = body['input'];
  if (typeof input === 'string') return { allText: [...instructions, input].join('\n'), lastUserText: input };
  return fromMessages(Array.isArray(input) ? input : [], instructions);
}

/** Chat Completions: `messages` with string or part-array content. */
export function chatPromptText(body: JsonObject): PromptText {
  const messages = body['messages'];
  return fromMessages(Array.isArray(messages) ? messages : [], []);
}
