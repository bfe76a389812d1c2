// Reads a server-sent event stream the way a client would, event by event.
export interface SseEvent {
  event: string;
  data: unknown;
}

export async function* readEvents(url: string, cookie: string | undefined, signal?: AbortSignal): AsyncGenerator<SseEvent> {
  const response = await fetch(url, { headers: cookie ? { cookie } : {}, signal: signal ?? null });
  if (!response.ok || !response.body) throw new Error(`events answered ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) yield { event, data: JSON.parse(data.join('\n')) };
    }
  }
}

export async function collectEvents(url: string, cookie: string | undefined): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const e of readEvents(url, cookie)) events.push(e);
  return events;
}
