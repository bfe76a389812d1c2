// Follows one batch for the panel until it is finished or canceled. The service's `progress` events
// carry only the batch's counts, while the panel's grid needs each run's status and result: so each
// event (and a slow tick, which catches runs that started without any finishing) makes one read of
// the whole batch, never two at once and no more often than `refreshMs`. A dropped stream is joined
// again; when the service cannot be reached again, the panel is told so with a way to retry.
import type { Batch } from '../../contract/index.ts';
import type { PanelError } from '../../webview/protocol.ts';
import type { BatchesClient } from '../api/batches.ts';
import { toPanelError } from './panel-error.ts';

export interface BatchStreamSink {
  progress(batch: Batch): void;
  done(batch: Batch): void;
  failed(error: PanelError): void;
}

export interface BatchStreamOptions {
  rejoins?: number;
  rejoinDelayMs?: number;
  /** The least time between two reads of the whole batch (more for a batch of over 200 runs). */
  refreshMs?: number;
}

const isOver = (batch: Batch) => batch.status === 'finished' || batch.status === 'canceled';

export async function followBatch(
  batches: Pick<BatchesClient, 'events' | 'getBatch'>,
  batchId: string,
  signal: AbortSignal,
  sink: BatchStreamSink,
  options: BatchStreamOptions = {},
): Promise<void> {
  const rejoins = options.rejoins ?? 5;
  const delayMs = options.rejoinDelayMs ?? 1000;
  const refreshMs = options.refreshMs ?? 400;
  let over = false;
  let reading: Promise<void> | null = null;
  let again = false;
  let lastRead = 0;
  // A big batch is a big read (and a big message to the page): space them out with its size,
  // 1 s apart for 500 runs.
  let spacing = refreshMs;

  const finish = (batch: Batch) => {
    if (over || signal.aborted) return;
    over = true;
    sink.done(batch);
  };
  // One read at a time; one asked for meanwhile runs after it, spaced by refreshMs.
  const refresh = (): void => {
    if (over || signal.aborted) return;
    if (reading) {
      again = true;
      return;
    }
    reading = (async () => {
      const wait = lastRead + spacing - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      lastRead = Date.now();
      try {
        const batch = await batches.getBatch(batchId);
        if (over || signal.aborted) return;
        spacing = Math.max(refreshMs, batch.total * 2);
        if (isOver(batch)) finish(batch);
        else sink.progress(batch);
      } catch {
        // The stream's own failure handling reports a lasting problem; one missed read is harmless.
      }
    })().finally(() => {
      reading = null;
      if (again) {
        again = false;
        refresh();
      }
    });
  };
  const tick = setInterval(refresh, Math.max(refreshMs, 1000));
  try {
    let lastError: unknown;
    for (let attempt = 0; attempt <= rejoins && !signal.aborted && !over; attempt++) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (signal.aborted) return;
      }
      try {
        for await (const event of batches.events(batchId, signal)) {
          if (event.event === 'done') return finish(event.data);
          refresh();
        }
        if (signal.aborted || over) return;
        // Ended without `done` (the service stopped?): a batch already over needs no stream.
        const batch = await batches.getBatch(batchId);
        if (isOver(batch)) return finish(batch);
      } catch (error) {
        if (signal.aborted) return;
        lastError = error;
        const problem = toPanelError(error);
        if (problem.kind !== 'unreachable') return sink.failed(problem);
      }
    }
    if (!signal.aborted && !over) sink.failed(lastError ? toPanelError(lastError) : { kind: 'other', message: 'The batch’s progress stream kept ending before the batch finished.', details: [] });
  } finally {
    clearInterval(tick);
    over = true;
  }
}
