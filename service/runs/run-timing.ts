// The Server-Timing header of POST /api/test-runs: where the request spent its time inside the
// service, for a developer reading `curl -i` or a browser's network panel, and for `npm run bench`,
// which sets these parts against what the service adds to a direct model call.

export interface RunTimes {
  /** When the request reached the service (its first middleware); undefined if unknown. */
  arrivedAt: number | undefined;
  /** When the route's handler began: the body parsed and checked, the session read. */
  begun: number;
  /** When the run was in the database. */
  inserted: number;
  /** `?wait=true`: when the finished run was handed to the request. */
  ended?: number;
  /** `?wait=true`: the run's latencyMs (the model call that gave its result: the last attempt). */
  modelMs?: number | null;
}

/** `description` has no comma, quote or backslash, so the header stays simple to split. */
const entry = (name: string, description: string, ms: number) => `${name};desc="${description}";dur=${Math.max(0, ms).toFixed(2)}`;

export function runServerTiming(t: RunTimes): string {
  const parts: string[] = [];
  if (t.arrivedAt !== undefined) parts.push(entry('accept', 'request read and checked', t.begun - t.arrivedAt));
  parts.push(entry('insert', 'run written (or found for a replayed key)', t.inserted - t.begun));
  if (t.ended !== undefined && typeof t.modelMs === 'number') {
    parts.push(entry('model', 'model call (its last attempt)', t.modelMs));
    parts.push(entry('result', 'result written and handed over (and any earlier attempts)', t.ended - t.inserted - t.modelMs));
  }
  return parts.join(', ');
}

/** The durations of a Server-Timing header by name (for clients such as the bench). */
export function parseServerTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.map((p) => /^dur=([\d.]+)$/.exec(p.trim())).find(Boolean);
    if (name && dur) out[name] = Number(dur[1]);
  }
  return out;
}
