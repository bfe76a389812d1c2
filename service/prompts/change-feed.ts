// GET /api/changes: every prompt change, from whichever process made it, as server-sent events.
//
// The stream subscribes before it answers, so anything committed after the client has the
// response headers is delivered. It ends (and the client reconnects and reloads what it shows)
// when the client goes away, its session ends, the service's LISTEN connection drops (events
// may have been missed), or the client stops reading: at most MAX_PENDING events wait for a full
// socket, never an unbounded buffer.
import type { Request, Response } from 'express';
import { CHANGE_EVENT, ChangeEvent } from '../../contract/index.ts';
import type { NotificationBus } from '../db/notifications.ts';
import { clientGone } from '../http/client-gone.ts';
import type { SessionStreams } from '../http/session-streams.ts';
import { PROMPT_CHANGES_CHANNEL } from './prompt-changes.ts';

export interface ChangeFeedOptions {
  /** A comment line after this long without a write, so proxies keep the stream open. */
  keepAliveMs: number;
}

export const DEFAULT_CHANGE_FEED: ChangeFeedOptions = { keepAliveMs: 15_000 };
const MAX_PENDING = 256;

export async function streamChanges(
  bus: NotificationBus,
  sessions: SessionStreams,
  options: ChangeFeedOptions,
  req: Request,
  res: Response,
): Promise<void> {
  const gone = clientGone(res);
  let ended = false;
  const pending: string[] = [];
  let lastWrite = Date.now();
  let keepAlive: NodeJS.Timeout | undefined;
  let unregister = () => {};
  const write = (chunk: string) => {
    res.write(chunk);
    lastWrite = Date.now();
  };
  const flush = () => {
    while (pending.length > 0 && !res.writableNeedDrain && !ended) write(pending.shift() ?? '');
  };
  const unsubscribe = await bus.subscribe(PROMPT_CHANGES_CHANNEL, {
    listener: (payload) => {
      if (ended) return;
      let change: ChangeEvent;
      try {
        change = ChangeEvent.parse(JSON.parse(payload));
      } catch {
        return; // not ours (or a newer process's shape): nothing a client could use
      }
      const frame = `event: ${CHANGE_EVENT}\ndata: ${JSON.stringify(change)}\n\n`;
      if (pending.length === 0 && !res.writableNeedDrain) return write(frame);
      // Too far behind to catch up: end, so the client reconnects and reloads.
      if (pending.length >= MAX_PENDING) return end();
      pending.push(frame);
    },
    onInterrupted: () => end(),
  });
  if (gone.aborted) {
    unsubscribe();
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    // Proxies such as nginx would otherwise hold events back.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.on('drain', flush);
  keepAlive = setInterval(() => {
    if (Date.now() - lastWrite >= options.keepAliveMs && !res.writableNeedDrain) write(': keep-alive\n\n');
  }, Math.max(10, Math.floor(options.keepAliveMs / 2)));
  // Signing out ends the stream: the client sees it end, and its next request is refused.
  unregister = sessions.register(req.sessionID, () => end());

  function end() {
    if (ended) return;
    ended = true;
    clearInterval(keepAlive);
    unsubscribe();
    unregister();
    res.off('drain', flush);
    gone.removeEventListener('abort', end);
    res.end();
  }
  gone.addEventListener('abort', end, { once: true });
}
