// A pino logger that keeps every line it writes, for tests that read the logs.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface LogCapture {
  logger: Logger;
  /** Every line written so far, as written. */
  readonly lines: string[];
  /** The lines parsed as JSON. */
  entries(): Record<string, unknown>[];
  /** Resolves when a line satisfies `predicate`; polls what was written so far. */
  waitFor(predicate: (entry: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  // Synchronous writes: a line is in `lines` as soon as the log call returns.
  const logger = pino({ level: 'trace' }, stream);
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    logger,
    lines,
    entries,
    async waitFor(predicate, what) {
      // Bounded by the test's own timeout; each turn lets the service run.
      for (;;) {
        const found = entries().find(predicate);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (lines.length > 100_000) throw new Error(`no log line ${what}`);
      }
    },
  };
}
