// An incremental parser of `text/event-stream` (the WHATWG server-sent events format): feed it
// chunks as they arrive, in any split, and it hands back each complete event. Only what the
// service sends is kept: `event` and `data` (several data lines join with "\n"); comments such as
// keep-alives are skipped. Every stream of the service is read through here: a run's events
// (runs.ts) and the change feed (changes.ts).
import { ServiceUnreachableError, UnexpectedResponseError } from './errors.ts';
import { networkReason, type ServiceHttp } from './http.ts';

export interface SseEvent {
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  /** A "\r" ended the last chunk: a "\n" starting the next one belongs to the same line break. */
  private pendingCr = false;

  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = text.endsWith('\r');
    this.buffer += text;
    const events: SseEvent[] = [];
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return undefined;
      }
      const event = { event: this.event || 'message', data: this.data.join('\n') };
      this.event = '';
      this.data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    return undefined;
  }
}

/**
 * Opens an event stream of the service at `path`. Only `signal` ends it (no timeout: a stream stays
 * open as long as there is something to follow); a refusal throws the service's error (ApiError).
 */
export async function openEventStream(http: ServiceHttp, path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const response = await http.send('GET', path, { headers: { Accept: 'text/event-stream' }, signal });
  if (!response.ok) await http.fail(response);
  if (!response.body) throw new UnexpectedResponseError(http.serviceUrl, response.status, 'the event stream has no body');
  return response.body;
}

/**
 * The events of an opened stream as they arrive. It ends when the service ends the stream or
 * `signal` aborts; a connection that drops is a ServiceUnreachableError.
 */
export async function* readEvents(body: ReadableStream<Uint8Array>, serviceUrl: string, signal: AbortSignal): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  try {
    for await (const chunk of body) {
      for (const event of parser.push(decoder.decode(chunk, { stream: true }))) yield event;
    }
  } catch (error) {
    if (signal.aborted) return;
    throw new ServiceUnreachableError(serviceUrl, networkReason(error));
  }
}
