// GET /api/batches/:id/events: `progress` events as the batch's runs finish, then `done` with the
// final batch (results and summary). Its runs are followed as they end, here or in another process
// (RunStreams.watchFinished); the database is polled only while those announcements may be missed. Everything the stream holds is released when
// the client goes away, its session ends, or the batch is over.
import type { Request, Response } from 'express';
import type { Batch } from '../../contract/index.ts';
import { clientGone } from '../http/client-gone.ts';
import type { SessionStreams } from '../http/session-streams.ts';
import { getBatch, getBatchHead, type BatchService } from './batch-use-cases.ts';

const POLL_MS = 500;
const KEEPALIVE_MS = 15_000;
const LOOK_MS = 50;

const isOver = (batch: Batch) => batch.status === 'finished' || batch.status === 'canceled';

export async function streamBatchEvents(service: BatchService, sessions: SessionStreams, id: string, req: Request, res: Response): Promise<void> {
  const gone = clientGone(res);
  await getBatchHead(service.db, id); // 404 before any event is written
  if (gone.aborted) return;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  let ended = false;
  let lastWrite = Date.now();
  let lastProgress = '';
  const send = (event: string, data: unknown) => {
    if (ended) return;
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    lastWrite = Date.now();
  };

  // One look at a time; a look asked for meanwhile runs once the current one ends.
  let looking = false;
  let lookAgain = false;
  const look = async (): Promise<void> => {
    if (ended) return;
    if (looking) {
      lookAgain = true;
      return;
    }
    looking = true;
    try {
      const head = await getBatchHead(service.db, id);
      const progress = `${head.status}/${head.done}/${head.failed}`;
      if (progress !== lastProgress) {
        lastProgress = progress;
        send('progress', head);
      }
      if (isOver(head)) {
        send('done', await getBatch(service, id));
        end();
      }
    } catch {
      // A database hiccup (or the prompt deleted meanwhile): the next poll tries again.
    } finally {
      looking = false;
      if (lookAgain && !ended) {
        lookAgain = false;
        void look();
      }
    }
  };

  // A batch's runs can finish hundreds of times a second: one look per LOOK_MS at most is enough
  // for a progress bar, and spares the database a count for each of them.
  let lastLook = 0;
  let scheduled: NodeJS.Timeout | undefined;
  const lookSoon = () => {
    if (scheduled) return;
    const wait = Math.max(0, lastLook + LOOK_MS - Date.now());
    scheduled = setTimeout(() => {
      scheduled = undefined;
      lastLook = Date.now();
      void look();
    }, wait);
  };
  const stopWatching = service.streams.watchFinished((run) => {
    if (run.batchId === id) lookSoon();
  });
  // Runs ending here or in another process are announced (watchFinished); the database is read
  // on its own only when announcements may be missed (see RunStreams.follow).
  const stopFollowing = service.streams.follow(() => void look(), POLL_MS);
  const keepAlive = setInterval(() => {
    if (Date.now() - lastWrite >= KEEPALIVE_MS && !res.writableNeedDrain) {
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
  }, KEEPALIVE_MS / 3);
  const unregister = sessions.register(req.sessionID, () => end());

  function end() {
    if (ended) return;
    ended = true;
    clearTimeout(scheduled);
    stopWatching();
    stopFollowing();
    clearInterval(keepAlive);
    unregister();
    gone.removeEventListener('abort', end);
    res.end();
  }
  gone.addEventListener('abort', end, { once: true });
  await look();
}
