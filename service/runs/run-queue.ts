// Executes queued runs in this process with bounded concurrency. Runs are claimed from the
// database (FOR UPDATE SKIP LOCKED), so several service processes on one PostgreSQL share the
// queue without running a run twice. Every step is persisted as it happens.
import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import { renderTemplate } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { StorableTextStream, withoutTrailingHalf } from '../http/storable-text.ts';
import { backoffMs, classifyFailure, type AbortReason, type BackoffPolicy, type CallFailure } from './call-failure.ts';
import { callModel, type ModelCallResult } from './model-call.ts';
import type { ModelCatalog } from './model-catalog.ts';
import {
  claimNextRun,
  failUnsaved,
  heartbeat,
  interruptOrphanedRuns,
  interruptWorkerRuns,
  saveCanceledOutput,
  saveProgress,
  startAttempt,
  toTestRun,
  findRunSource,
  loadRun,
  type RunOutcome,
  type RunRow,
} from './run-queries.ts';
import type { RunEventOutbox } from './run-event-bus.ts';
import type { RunStatements } from './run-statements.ts';
import type { RunStreams } from './run-streams.ts';
import { costOf } from './usage-cost.ts';

export interface RunQueueConfig {
  concurrency: number;
  timeoutMs: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** How often to look for runs queued by other processes, and for orphans. */
  pollMs: number;
  heartbeatMs: number;
  /** A running run whose process showed no sign of life for this long is INTERRUPTED. */
  staleMs: number;
  /** On the embedded database only this process can have been running anything. */
  exclusiveDatabase: boolean;
  /** The API key, only to scrub it from anything the provider says. */
  apiKey: string | undefined;
  /** Set when no key is configured for OpenAI itself: runs fail at once, saying what to set. */
  missingKeyMessage: string | undefined;
  progressFlushMs: number;
  /** At shutdown, how long runs in flight may take to finish before they are aborted. */
  shutdownGraceMs: number;
}

/** A reserved place under the concurrency limit; see RunQueue.reserve(). */
export interface RunSlot {
  /** Insert the run already claimed by this worker (running, attempt 1, started now). */
  workerId: string;
  /** The run was inserted claimed: execute it now. */
  launch(row: RunRow, source: RunSource): void;
  /** The run was not inserted (an idempotent replay, an error): give the place back. */
  cancel(): void;
}

interface InFlight {
  controller: AbortController;
  abortReason: AbortReason | undefined;
  canceled: boolean;
}

export type RunSource = { content: string; type: 'user' | 'system' };

const INTERRUPTED_BY_CRASH = 'The service stopped while this run was in progress (a crash or a kill). Run it again.';
const INTERRUPTED_BY_STOP = 'The service was shut down while this run was in progress. Run it again.';

export class RunQueue {
  readonly workerId = randomUUID();
  private readonly inFlight = new Map<string, InFlight>();
  private active = 0;
  private pumping = false;
  /** A kick that came while a pump was under way: its claim may have missed the new run. */
  private kickedWhilePumping = false;
  private stopped = true;
  private timers: NodeJS.Timeout[] = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** Ends the shutdown grace period early (a second stop()). */
  private endGrace: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  /** Set when a shutdown's grace is over: every run still in flight is being aborted. */
  private abortingAll = false;
  private readonly executions = new Set<Promise<void>>();
  private outbox: RunEventOutbox | undefined;
  private stopListening: (() => void) | undefined;
  /** The last claim found nothing queued, and no run was queued since (see reserve()). */
  private queueSeenEmpty = false;
  /** Sources of runs queued by this process, so a local claim need not read them again. */
  private readonly sources = new Map<string, RunSource>();
  /**
   * Runs executed here whose result, and then even their failure, the database refused: still
   * `running`, by latencyMs. Their failure is written again on every look (see retryUnsaved).
   */
  private readonly unsaved = new Map<string, number | null>();
  /** A retry of those is under way: a database slower than the poll must not get two at once. */
  private retryingUnsaved = false;

  constructor(
    private readonly db: Database,
    private readonly statements: RunStatements,
    private readonly client: OpenAI,
    private readonly catalog: ModelCatalog,
    private readonly streams: RunStreams,
    private readonly logger: Logger,
    private readonly config: RunQueueConfig,
  ) {}

  async start(): Promise<void> {
    await this.interruptOrphans(this.config.exclusiveDatabase ? null : this.config.staleMs);
    this.stopped = false;
    this.abortingAll = false;
    const poll = setInterval(() => {
      this.kick();
      if (this.unsaved.size > 0) void this.retryUnsaved();
      if (!this.config.exclusiveDatabase) {
        this.interruptOrphans(this.config.staleMs).catch((error: unknown) => this.logger.warn({ err: error }, 'could not look for orphaned runs'));
      }
    }, this.config.pollMs);
    const beat = setInterval(() => {
      if (this.active > 0 || this.unsaved.size > 0) heartbeat(this.db, this.workerId).catch(() => undefined);
    }, this.config.heartbeatMs);
    poll.unref();
    beat.unref();
    this.timers = [poll];
    this.heartbeatTimer = beat;
    this.kick();
  }

  /**
   * Stops claiming runs at once, lets the runs in flight finish for up to `graceMs` (the
   * configured grace by default), then aborts the rest: they end `failed` with INTERRUPTED and
   * the text they had, never `succeeded` with a cut-off output. Runs still queued stay queued
   * for the next start. Calling it again while it waits ends the grace period now.
   */
  stop(graceMs = this.config.shutdownGraceMs): Promise<void> {
    if (this.stopping) {
      this.endGrace?.();
      return this.stopping;
    }
    this.stopping = this.shutDown(graceMs).finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async shutDown(graceMs: number): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.executions.size > 0 && graceMs > 0) {
      this.logger.info({ runs: [...this.inFlight.keys()], graceMs }, 'waiting for runs in progress to finish');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => {
        this.endGrace = resolve;
        timer = setTimeout(resolve, graceMs);
      });
      // The heartbeat keeps beating meanwhile, so other processes do not take these runs for orphans.
      await Promise.race([this.allSettled(), graceOver]);
      clearTimeout(timer);
      this.endGrace = undefined;
    }
    const cutShort = [...this.inFlight.keys()];
    this.abortingAll = true;
    for (const flight of this.inFlight.values()) {
      flight.abortReason = 'shutdown';
      flight.controller.abort();
    }
    await this.allSettled();
    clearInterval(this.heartbeatTimer);
    this.stopListening?.();
    this.stopListening = undefined;
    if (cutShort.length) this.logger.warn({ runs: cutShort }, 'runs still in progress at shutdown were marked INTERRUPTED');
    // A run whose final write failed is still `running` under this worker: mark it too.
    await interruptWorkerRuns(this.db, this.workerId, INTERRUPTED_BY_STOP).catch(() => undefined);
    for (const id of [...this.unsaved.keys()]) {
      this.unsaved.delete(id);
      await this.publishFinal(id, undefined).catch(() => undefined);
    }
  }

  /** Until nothing is in flight, including runs launched meanwhile from a reserved place. */
  private async allSettled(): Promise<void> {
    while (this.executions.size > 0) await Promise.allSettled([...this.executions]);
  }

  /** Runs of a process that died end INTERRUPTED, and whoever follows them is told. */
  private async interruptOrphans(staleMs: number | null): Promise<void> {
    const interrupted = await interruptOrphanedRuns(this.db, staleMs, INTERRUPTED_BY_CRASH);
    if (interrupted.length === 0) return;
    this.logger.warn({ runs: interrupted.map((r) => r.id) }, 'marked runs of a stopped service as INTERRUPTED');
    for (const row of interrupted) this.streams.ended(toTestRun(row));
  }

  /** Other processes on the same database hear of queued runs through this; see run-event-bus.ts. */
  useOutbox(outbox: RunEventOutbox, stopListening: () => void): void {
    this.outbox = outbox;
    this.stopListening = stopListening;
  }

  /** Tells idle processes that runs were queued (they claim them now rather than at their next look). */
  announceQueued(): void {
    this.outbox?.queued().catch((error: unknown) => this.logger.warn({ err: error }, 'could not announce queued runs; other processes find them at their next look'));
  }

  /** Looks for work now (called when a run is queued). */
  kick(): void {
    if (this.stopped) return;
    // Until a pump finds the queue empty, new runs wait their turn in it.
    this.queueSeenEmpty = false;
    if (this.pumping) {
      this.kickedWhilePumping = true;
      return;
    }
    this.pumping = true;
    this.kickedWhilePumping = false;
    this.pump()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not claim queued runs; retrying on the next poll'))
      .finally(() => {
        this.pumping = false;
        if (this.kickedWhilePumping) this.kick();
      });
  }

  remember(runId: string, source: RunSource): void {
    // Bounded: runs claimed by another process never take theirs out.
    if (this.sources.size > 1000) this.sources.clear();
    this.sources.set(runId, source);
  }

  /** Aborts the model call of a run this process executes (its row is already canceled). */
  cancel(runId: string): void {
    const flight = this.inFlight.get(runId);
    if (!flight) return;
    flight.canceled = true;
    flight.abortReason = 'canceled';
    flight.controller.abort();
  }

  /**
   * A place under the concurrency limit for a run about to be inserted, when this process can run
   * it at once: a free slot, and nothing queued on its last look (so the new run jumps no queue).
   * The run is then inserted already claimed (`running`, this worker, attempt 1) and handed to
   * launch(): it is in the database before the model is called, as any run, and a crash leaves it
   * to the orphan check (INTERRUPTED) like a claimed one; what it saves is the claim's round trip
   * and the wait for the pump. undefined: insert it queued and kick().
   */
  reserve(): RunSlot | undefined {
    if (this.stopped || !this.queueSeenEmpty || this.active >= this.config.concurrency) return undefined;
    this.active++;
    let settled = false;
    // In flight from now on: a shutdown that begins while the run is being inserted waits for it
    // (and its execution) like any other run, instead of ending first and leaving it cut off.
    let done: () => void = () => undefined;
    const reserved = new Promise<void>((resolve) => (done = resolve));
    this.executions.add(reserved);
    const settle = () => {
      settled = true;
      this.executions.delete(reserved);
      done();
    };
    return {
      workerId: this.workerId,
      launch: (row, source) => {
        if (settled) return;
        this.sources.set(row.id, source);
        this.launch(row); // adds the execution before the placeholder goes
        settle();
      },
      cancel: () => {
        if (settled) return;
        settle();
        this.active--;
        this.kick();
      },
    };
  }

  private async pump(): Promise<void> {
    while (!this.stopped && this.active < this.config.concurrency) {
      const row = await claimNextRun(this.db, this.workerId);
      if (!row) {
        // A kick meanwhile may be a run this claim missed; the next pump looks again.
        if (!this.kickedWhilePumping) this.queueSeenEmpty = true;
        return;
      }
      this.active++;
      this.launch(row);
    }
  }

  /** Executes a claimed run; its place under the limit (already counted in `active`) is given back once. */
  private launch(row: RunRow): void {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.active--;
      // A freed place claims a queued run, unless the last look found none and nothing was queued
      // since (a run queued here or announced by another process kicks): a claim then would only be
      // a round trip racing this run's final write.
      if (!this.queueSeenEmpty) this.kick();
    };
    const execution = this.execute(row, release)
      .catch((error: unknown) => this.logger.error({ err: error, runId: row.id }, 'run execution failed'))
      .finally(() => {
        this.executions.delete(execution);
        release();
      });
    this.executions.add(execution);
  }

  private async publishFinal(runId: string, finished: RunRow | undefined): Promise<void> {
    const row = finished ?? (await loadRun(this.db, runId));
    if (row) this.streams.done(runId, toTestRun(row));
  }

  /**
   * `release` gives back the run's place under the concurrency limit. It is called as soon as the
   * model call is over, before the result is written: the limit is on calls to the provider, and
   * the next run's claim then overlaps this one's write instead of waiting for it (a batch of
   * hundreds of runs would otherwise pay a database round trip per run on top of the model's time).
   */
  private async execute(row: RunRow, release: () => void): Promise<void> {
    const flight: InFlight = { controller: new AbortController(), abortReason: undefined, canceled: false };
    this.inFlight.set(row.id, flight);
    this.streams.start(row.id);
    let finished: RunRow | undefined;
    try {
      const outcome = await this.attempts(row, flight);
      release();
      if (outcome) {
        try {
          finished = await this.statements.finish(row, outcome);
        } catch (error) {
          // Left `running`, the run would wait to be taken for an orphan and anyone waiting would
          // hear nothing. If even the failure cannot be written, a `?wait=true` request is told at
          // once (see waitForFinish) and the failure is written again later (retryUnsaved).
          this.logger.error({ err: error, runId: row.id }, 'the result of a run could not be saved');
          finished = await failUnsaved(this.db, row.id, outcome.latencyMs).catch(() => {
            this.unsaved.set(row.id, outcome.latencyMs);
            return undefined;
          });
        }
        // Canceled while the last bytes arrived: the cancel stands, with everything received.
        if (!finished && outcome.output) await saveCanceledOutput(this.db, row.id, outcome.output, outcome.latencyMs);
      }
    } finally {
      this.inFlight.delete(row.id);
      // Not ended yet: those waiting on `?wait=true` are told now; event streams and batches wait
      // for the failure that retryUnsaved writes.
      if (this.unsaved.has(row.id)) this.streams.unsaved(row.id);
      else await this.publishFinal(row.id, finished).catch(() => undefined);
    }
  }

  /**
   * Writes again the RESULT_NOT_SAVED failure of each run whose failure could not be written, so
   * no run stays `running` while this process lives (its heartbeat keeps others from taking it
   * for an orphan meanwhile). A shutdown marks those left INTERRUPTED.
   */
  private async retryUnsaved(): Promise<void> {
    if (this.retryingUnsaved) return;
    this.retryingUnsaved = true;
    try {
      for (const [id, latencyMs] of [...this.unsaved]) {
        let failedRow: RunRow | undefined;
        try {
          failedRow = await failUnsaved(this.db, id, latencyMs);
        } catch {
          continue; // still refused: the next look tries again (a refusal of one run holds no other back)
        }
        this.unsaved.delete(id);
        // undefined: no longer running, ended meanwhile by someone else (a cancel, another process).
        await this.publishFinal(id, failedRow).catch(() => undefined);
      }
    } finally {
      this.retryingUnsaved = false;
    }
  }

  /** Runs attempts until one succeeds, a failure is final, or the run is canceled (undefined). */
  private async attempts(row: RunRow, flight: InFlight): Promise<RunOutcome | undefined> {
    if (this.config.missingKeyMessage) {
      return failed({ code: 'NO_API_KEY', message: this.config.missingKeyMessage, status: null }, null);
    }
    const request = await this.requestFor(row);
    let lastFailure: CallFailure | undefined;
    for (let attempt = 1; attempt <= this.config.maxAttempts; attempt++) {
      if (this.abortingAll) return failed(interruptedAtShutdown(), null);
      // The claim counted attempt 1; later ones start over with an empty output.
      if (attempt > 1 && !(await startAttempt(this.db, row.id, attempt))) return undefined; // canceled meanwhile
      if (attempt > 1) this.streams.reset(row.id, attempt, lastFailure?.error.message ?? 'retrying');
      flight.controller = new AbortController();
      // A cancel or the end of a shutdown's grace may have come while no call was under way.
      flight.abortReason = flight.canceled ? 'canceled' : this.abortingAll ? 'shutdown' : undefined;
      let output = '';
      // What followers see is what is saved: no NUL, no half pair (see StorableTextStream).
      const shown = new StorableTextStream();
      const startedAt = performance.now();
      const timeout = setTimeout(() => {
        flight.abortReason = 'timeout';
        flight.controller.abort();
      }, this.config.timeoutMs);
      // Saving progress now and then keeps a crash from losing everything, and tells this worker
      // when the run was canceled by another process.
      // One save at a time, and only when there is more: with a long output each save writes all of
      // it, and saves piling up behind a slow database would only make it slower.
      let saving = false;
      let savedLength = -1;
      const progress = setInterval(() => {
        if (saving) return;
        saving = true;
        const length = output.length;
        // Unchanged: only the check that the run is still running (not canceled elsewhere).
        // Not a pair's first half whose second may be on its way: saved alone, it would be U+FFFD.
        saveProgress(this.db, row.id, length === savedLength ? undefined : withoutTrailingHalf(output))
          .then((running) => {
            savedLength = length;
            if (!running) this.cancel(row.id);
          })
          .catch(() => undefined)
          .finally(() => {
            saving = false;
          });
      }, this.config.progressFlushMs);
      let result: ModelCallResult | undefined;
      let failure: CallFailure | undefined;
      try {
        if (flight.abortReason) throw new Error(`${flight.abortReason} before the call`);
        result = await callModel(this.client, {
          ...request,
          signal: flight.controller.signal,
          onDelta: (text) => {
            output += text;
            const storable = shown.next(text);
            if (storable) this.streams.delta(row.id, storable);
          },
        });
      } catch (error) {
        failure = classifyFailure(error, flight.abortReason, this.config.apiKey, this.config.timeoutMs);
      } finally {
        clearTimeout(timeout);
        clearInterval(progress);
      }
      const latencyMs = Math.round(performance.now() - startedAt);
      if (result) {
        const usage = result.usage;
        const costUsd = costOf(usage, this.catalog.find(row.model));
        if (result.incompleteReason) {
          // The model answered and the tokens were paid for, but the answer is not whole: not a
          // success, and not worth retrying as is (the same limit would cut it again).
          return { status: 'failed', output: result.output || null, usage, costUsd, error: incompleteError(result.incompleteReason), latencyMs };
        }
        return { status: 'succeeded', output: result.output, usage, costUsd, error: null, latencyMs };
      }
      if (flight.canceled || !failure) {
        await saveCanceledOutput(this.db, row.id, output, latencyMs);
        return undefined;
      }
      lastFailure = failure;
      this.logger.info({ runId: row.id, attempt, code: failure.error.code, retryable: failure.retryable }, 'model call failed');
      if (!failure.retryable || attempt === this.config.maxAttempts) return failed(failure.error, latencyMs, output);
      flight.controller = new AbortController();
      if (!(await this.sleep(backoffMs(attempt, this.config.backoff, failure.retryAfterMs), flight))) {
        // Woken by the end of a shutdown's grace rather than a cancel.
        if (this.abortingAll) return failed(interruptedAtShutdown(), latencyMs, output);
        return undefined;
      }
    }
    return lastFailure ? failed(lastFailure.error, null) : undefined;
  }

  private async requestFor(row: RunRow) {
    const source = this.sources.get(row.id) ?? (await findRunSource(this.db, row.promptId, row.promptVersionId));
    this.sources.delete(row.id);
    const content = renderTemplate(source?.content ?? '', row.inputVariables);
    const system = source?.type === 'system';
    return {
      api: row.api,
      model: row.model,
      instructions: system ? content : undefined,
      userMessage: system ? (row.input ?? '') : content,
      params: row.params,
    };
  }

  /** Waits, unless the run is canceled meanwhile (false). */
  private sleep(ms: number, flight: InFlight): Promise<boolean> {
    return new Promise((resolve) => {
      if (flight.canceled || this.abortingAll) return resolve(false);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        flight.controller.signal.removeEventListener('abort', onAbort);
        resolve(!flight.canceled && !this.abortingAll);
      }, ms);
      flight.controller.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function interruptedAtShutdown(): NonNullable<RunOutcome['error']> {
  return { code: 'INTERRUPTED', message: INTERRUPTED_BY_STOP, status: null };
}

function incompleteError(reason: string): NonNullable<RunOutcome['error']> {
  const why =
    reason === 'max_output_tokens' || reason === 'length'
      ? 'it reached the output limit; raise Max output tokens (or lower the reasoning effort) and run it again'
      : reason === 'content_filter'
        ? "the provider's content filter stopped it"
        : 'the provider did not say why';
  return { code: 'INCOMPLETE', message: `The model stopped before finishing its answer (${reason}): ${why}.`, status: null };
}

function failed(error: RunOutcome['error'], latencyMs: number | null, output = ''): RunOutcome {
  return { status: 'failed', output: output || null, usage: null, costUsd: null, error, latencyMs };
}
