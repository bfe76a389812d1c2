// Where an export is written as it is produced: an HTTP response or a file. Small pieces are
// gathered into chunks of about 64 KiB, and a chunk the destination cannot take yet is waited for
// ('drain'), so a slow reader holds the export back instead of the service buffering all of it.
import type { Writable } from 'node:stream';

export interface Sink {
  write(text: string): Promise<void>;
  /** Writes what is gathered; the caller ends the stream. */
  flush(): Promise<void>;
}

const CHUNK_CHARS = 64 * 1024;

export class OutputClosedError extends Error {
  override name = 'OutputClosedError';
  constructor() {
    super('The export was closed by its reader before it was complete');
  }
}

function writeWithBackpressure(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.reject(new OutputClosedError());
  if (out.write(chunk)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', drained);
      out.off('close', closed);
      out.off('error', closed);
    };
    const drained = () => {
      cleanup();
      resolve();
    };
    // A reader that goes away never drains: without this the export would wait forever.
    const closed = () => {
      cleanup();
      reject(new OutputClosedError());
    };
    out.on('drain', drained);
    out.on('close', closed);
    out.on('error', closed);
  });
}

export function sinkOf(out: Writable): Sink {
  let pending: string[] = [];
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    const chunk = pending.join('');
    pending = [];
    size = 0;
    await writeWithBackpressure(out, chunk);
  };
  return {
    async write(text) {
      pending.push(text);
      size += text.length;
      if (size >= CHUNK_CHARS) await flush();
    },
    flush,
  };
}

/** Collects the whole text, for the single-version formats and for tests. */
export function stringSink(): Sink & { text(): string } {
  const parts: string[] = [];
  return {
    write: async (text) => {
      parts.push(text);
    },
    flush: async () => {},
    text: () => parts.join(''),
  };
}
