// GET /api/test-runs/:id/events: the run's output as server-sent events. A client that connects
// late first gets what has arrived so far, then the rest; `done` carries the final run.
//
// Everything a stream holds (its subscription, its one timer) is released as soon as the client
// goes away, the session that opened it ends, or the run finishes. A client that does not read
// is not buffered without bound: while its socket is full, deltas are skipped and the missed text
// is sent in one piece when it drains.
import type { Request, Response } from 'express';
import type { TestRun } from '../../contract/index.ts';
import { clientGone } from '../http/client-gone.ts';
import type { SessionStreams } from '../http/session-streams.ts';
import { getRun, isFinished, type RunService } from './run-use-cases.ts';

const POLL_MS = 500;
const KEEPALIVE_MS = 15_000;

export async function streamRunEvents(service: RunService, sessions: SessionStreams, id: string, req: Request, res: Response): Promise<void> {
  const gone = clientGone(res);
  // A run executing here exists, and its every event reaches the subscription below, which is
  // taken before anything else is awaited: no read is needed. Otherwise 404 before any event.
  const live = service.streams.isLive(id);
  const initial = live ? undefined : await getRun(service.db, id);
  if (gone.aborted) return;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    // Proxies such as nginx would otherwise hold deltas back.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  let sent = 0; // characters of the current attempt's output already sent
  let ended = false;
  let lastWrite = Date.now();
  const write = (chunk: string) => {
    res.write(chunk);
    lastWrite = Date.now();
  };
  const send = (event: string, data: unknown) => {
    if (!ended) write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  // While the client's socket is full, deltas are not written; on 'drain' what was missed goes out
  // in one piece, read from the live text.
  let behind = false;
  /** Sends text that follows what was sent, unless the client is not keeping up. */
  const sendText = (text: string) => {
    if (!text || ended) return;
    if (behind || res.writableNeedDrain) {
      behind = true;
      return;
    }
    send('delta', { text });
    sent += text.length;
  };
  const finish = (run: TestRun) => {
    if (ended) return;
    // What the stream missed (a run executed elsewhere, or finished before we subscribed).
    if (run.output && run.output.length > sent) {
      send('delta', { text: run.output.slice(sent) });
      sent = run.output.length;
    }
    send('done', run);
    end();
  };

  const subscription = service.streams.subscribe(id, (event) => {
    switch (event.type) {
      case 'start':
        sent = 0;
        break;
      case 'delta':
        // Text before `sent` was sent already (read from the database); text past it means some
        // was missed (a socket that was full, or a stream joined late): the rest comes on drain or
        // with the run's end.
        if (event.offset > sent) break;
        sendText(event.text.slice(sent - event.offset));
        break;
      case 'reset':
        send('reset', { attempt: event.attempt, reason: event.reason });
        sent = 0;
        behind = false;
        break;
      case 'done':
        finish(event.run);
        break;
    }
  });
  if (subscription.live) sendText(subscription.text);
  const onDrain = () => {
    if (!behind) return;
    behind = false;
    // Not live any more: the next poll sends what is missing from the database.
    const live = service.streams.textOf(id);
    if (live !== undefined) sendText(live.slice(sent));
  };
  res.on('drain', onDrain);

  // What no event announces reaches the stream from the database (see RunStreams.follow).
  const stopFollowing = service.streams.follow(() => {
    getRun(service.db, id).then(
      (run) => {
        if (ended) return;
        if (isFinished(run)) return finish(run);
        if (service.streams.isLive(id)) return;
        const output = run.output ?? '';
        if (output.length < sent) {
          send('reset', { attempt: run.attempts, reason: 'a new attempt started' });
          sent = 0;
        }
        behind = false;
        sendText(output.slice(sent));
      },
      () => undefined, // a database hiccup (or the prompt deleted meanwhile): try again on the next tick
    );
  }, POLL_MS);
  const keepAlive = setInterval(() => {
    if (Date.now() - lastWrite >= KEEPALIVE_MS && !res.writableNeedDrain) write(': keep-alive\n\n');
  }, KEEPALIVE_MS / 3);
  // Signing out ends the stream: the client sees it end, and its next request is refused.
  const unregister = sessions.register(req.sessionID, () => end());

  function end() {
    if (ended) return;
    ended = true;
    stopFollowing();
    clearInterval(keepAlive);
    subscription.unsubscribe();
    unregister();
    res.off('drain', onDrain);
    gone.removeEventListener('abort', end);
    res.end();
  }
  gone.addEventListener('abort', end, { once: true });

  if (!initial) return; // executing here: its events, then its end, come through the subscription
  if (isFinished(initial)) finish(initial);
  else {
    // Read after subscribing, so an end in between is not missed; a run running elsewhere starts
    // from the output it has saved, and its deltas follow.
    const fresh = await getRun(service.db, id).catch(() => initial);
    if (isFinished(fresh)) finish(fresh);
    else if (!service.streams.isLive(id) && sent === 0) sendText(fresh.output ?? '');
  }
}
