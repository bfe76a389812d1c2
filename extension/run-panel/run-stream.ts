// Follows one run's event stream for the panel until the run is done. A dropped connection is
// joined again (the service replays the text so far, so the panel is told to start over first);
// when the service cannot be reached again, the panel is told so with a way to retry.
import type { TestRun } from '../../contract/index.ts';
import type { PanelError } from '../../webview/protocol.ts';
import type { RunsClient } from '../api/runs.ts';
import { toPanelError } from './panel-error.ts';

export interface RunStreamSink {
  delta(text: string): void;
  reset(attempt: number | null, reason: string): void;
  done(run: TestRun): void;
  failed(error: PanelError): void;
}

export interface StreamOptions {
  /** How many times a dropped stream is joined again before giving up. */
  rejoins?: number;
  rejoinDelayMs?: number;
}

export async function followRun(runs: Pick<RunsClient, 'events' | 'getRun'>, runId: string, signal: AbortSignal, sink: RunStreamSink, options: StreamOptions = {}): Promise<void> {
  const rejoins = options.rejoins ?? 5;
  const delayMs = options.rejoinDelayMs ?? 1000;
  let lastError: unknown;
  for (let attempt = 0; attempt <= rejoins && !signal.aborted; attempt++) {
    if (attempt > 0) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (signal.aborted) return;
      // The stream replays the text so far: what the panel shows must be dropped first.
      sink.reset(null, 'Joined the stream again.');
    }
    try {
      for await (const event of runs.events(runId, signal)) {
        if (event.event === 'delta') sink.delta(event.data.text);
        else if (event.event === 'reset') sink.reset(event.data.attempt, event.data.reason);
        else return sink.done(event.data);
      }
      if (signal.aborted) return;
      // Ended without `done`: the service may have stopped; a finished run needs no stream.
      const run = await runs.getRun(runId);
      if (run.finishedAt) return sink.done(run);
    } catch (error) {
      if (signal.aborted) return;
      lastError = error;
      const problem = toPanelError(error);
      if (problem.kind !== 'unreachable') return sink.failed(problem);
    }
  }
  if (!signal.aborted) sink.failed(lastError ? toPanelError(lastError) : { kind: 'other', message: 'The run’s stream kept ending before the run finished.', details: [] });
}
