// GET /api/test-runs/:id/events: the run's output as server-sent events. A client that connects
// late first gets what has arrived so far, then the rest; `done` carries the final run.
import type { Request, Response } from 'express';
import type { TestRun } from '../../contract/index.ts';
import { getRun, isFinished, type RunService } from './run-use-cases.ts';

const POLL_MS = 500;
const KEEPALIVE_MS = 15_000;

export async function streamRunEvents(service: RunService, id: string, req: Request, res: Response): Promise<void> {
  const initial = await getRun(service.db, id); // 404 before any event is written
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
  const send = (event: string, data: unknown) => {
    if (!ended) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const sendText = (text: string) => {
    if (!text) return;
    send('delta', { text });
    sent += text.length;
  };
  const finish = (run: TestRun) => {
    if (ended) return;
    // What the stream missed (a run executed elsewhere, or finished before we subscribed).
    if (run.output && run.output.length > sent) sendText(run.output.slice(sent));
    send('done', run);
    ended = true;
    cleanup();
    res.end();
  };

  const subscription = service.streams.subscribe(id, (event) => {
    switch (event.type) {
      case 'start':
        sent = 0;
        break;
      case 'delta':
        sendText(event.text);
        break;
      case 'reset':
        send('reset', { attempt: event.attempt, reason: event.reason });
        sent = 0;
        break;
      case 'done':
        finish(event.run);
        break;
    }
  });
  if (subscription.live) sendText(subscription.text);

  // Not executed here (queued, or running in another process): follow the database.
  const poll = setInterval(() => {
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
        sendText(output.slice(sent));
      },
      () => undefined, // a database hiccup: try again on the next tick
    );
  }, POLL_MS);
  const keepalive = setInterval(() => {
    if (!ended) res.write(': keep-alive\n\n');
  }, KEEPALIVE_MS);

  function cleanup() {
    clearInterval(poll);
    clearInterval(keepalive);
    subscription.unsubscribe();
  }
  req.on('close', () => {
    ended = true;
    cleanup();
  });

  if (isFinished(initial)) finish(initial);
  else {
    const fresh = await getRun(service.db, id).catch(() => initial);
    if (isFinished(fresh)) finish(fresh);
  }
}
