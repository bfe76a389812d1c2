// An open server-sent event stream a test can read event by event, see comment lines on, and
// watch end: what a client of GET /api/changes sees.
import type { SseEvent } from '../../testing/sse.ts';

export interface OpenStream {
  status: number;
  /** The next event, waiting for it. Rejects when the stream ends first. */
  next(): Promise<SseEvent>;
  /** Comment lines seen so far (`: keep-alive` → 'keep-alive'). */
  readonly comments: string[];
  /** Resolves when the server ends the stream (or the client closes it). */
  readonly ended: Promise<void>;
  close(): void;
}

export async function openStream(url: string, cookie: string | undefined): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: cookie ? { cookie } : {}, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`the stream answered ${response.status}: ${await response.text()}`);
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let waiting: { resolve: (e: SseEvent) => void; reject: (error: Error) => void } | undefined;
  let done = false;
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (!data.length) continue;
          const parsed = { event, data: JSON.parse(data.join('\n')) as unknown };
          if (waiting) {
            waiting.resolve(parsed);
            waiting = undefined;
          } else events.push(parsed);
        }
      }
    } catch {
      // aborted by close()
    } finally {
      done = true;
      waiting?.reject(new Error('the stream ended'));
      waiting = undefined;
    }
  })();
  return {
    status: response.status,
    comments,
    ended,
    next() {
      const queued = events.shift();
      if (queued) return Promise.resolve(queued);
      if (done) return Promise.reject(new Error('the stream ended'));
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    close: () => controller.abort(),
  };
}

/** Resolves once `check` holds, polling; for state that settles shortly after an event. The test's own timeout bounds it. */
export async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25));
}
