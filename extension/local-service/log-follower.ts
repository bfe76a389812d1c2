// Follows the local service's log file (the service writes it; any window may have started it) and
// hands each new chunk of text on, so the Output channel shows the service's own lines as they come.
// Polling, not fs.watch: the file is appended to by another process and may be cut back or replaced.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export class LogFollower {
  private offset: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly onText: (text: string) => void,
    /** How much of the log's end to show when following starts. */
    private readonly tailBytes = 16 * 1024,
  ) {}

  start(intervalMs = 1_000): void {
    if (this.timer) return;
    this.poll();
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads what was appended since the last poll (from the start again when the file shrank). */
  poll(): void {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return; // no log yet
    }
    if (this.offset === undefined) this.offset = Math.max(0, size - this.tailBytes);
    if (size < this.offset) this.offset = 0;
    if (size === this.offset) return;
    const fd = openSync(this.path, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      this.onText(buffer.subarray(0, read).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  }
}
