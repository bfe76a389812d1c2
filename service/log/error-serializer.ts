// What a log line may say about an error. Database errors carry the values of the failed query:
// drizzle's DrizzleQueryError puts them in its message ("Failed query: … params: …") and in
// `params`, PGlite adds `params` to its errors, and PostgreSQL quotes values in its own messages
// and `detail` ("invalid input syntax for type uuid: "…"", "Key (sid)=(…) already exists").
// Those values are session ids, prompt text and search terms, so for a database error only its
// SQLSTATE, the names PostgreSQL reports (table, column, constraint) and the SQL text, which holds
// $1-style placeholders and never a value, are logged. Other errors keep their message and stack.
// Only the fields listed here are copied: an error's other properties (body-parser's `body`, say)
// never reach a log.
import type { Logger } from 'pino';

export interface SerializedError {
  type: string;
  message: string;
  code?: string;
  severity?: string;
  table?: string;
  column?: string;
  constraint?: string;
  routine?: string;
  /** The SQL text of the failed query, with placeholders. */
  query?: string;
  stack?: string;
  cause?: SerializedError;
  errors?: SerializedError[];
}

const MAX_DEPTH = 8;
const MAX_QUERY_CHARS = 2000;
const SQLSTATE = /^[0-9A-Z]{5}$/;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** An error PostgreSQL (or PGlite) sent: it has a SQLSTATE and a severity. */
function fromServer(error: object): boolean {
  const e = error as { code?: unknown; severity?: unknown };
  return typeof e.code === 'string' && SQLSTATE.test(e.code) && typeof e.severity === 'string';
}

function typeOf(error: object): string {
  // PGlite's bundle minifies its class names; the drivers' errors are all of one kind.
  if (fromServer(error)) return 'DatabaseError';
  const name = text((error as { name?: unknown }).name);
  const constructorName = error.constructor?.name;
  return constructorName && constructorName !== 'Object' && constructorName !== 'Error' ? constructorName : (name ?? 'Error');
}

/** A query wrapper (drizzle's, or PGlite's errors, which carry `params`) or an error from the server. */
function isDatabaseError(error: object): boolean {
  const e = error as { params?: unknown; query?: unknown };
  return 'params' in e || typeof e.query === 'string' || fromServer(error);
}

/** The stack's frames without its first lines, which repeat the message. */
function framesOnly(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length ? frames.join('\n') : undefined;
}

function serialize(error: unknown, seen: Set<object>): SerializedError {
  if (!error || typeof error !== 'object') return { type: typeof error, message: typeof error === 'string' ? error : String(error) };
  if (seen.has(error) || seen.size >= MAX_DEPTH) return { type: typeOf(error), message: '(cause chain cut here)' };
  seen.add(error);
  const e = error as Record<string, unknown>;
  const code = text(e.code);
  const out: SerializedError = { type: typeOf(error), message: '' };
  if (isDatabaseError(error)) {
    out.message = code ? `database error ${code}` : 'database query failed';
    out.stack = framesOnly(text(e.stack));
    for (const field of ['severity', 'table', 'column', 'constraint', 'routine'] as const) {
      const value = text(e[field]);
      if (value) out[field] = value;
    }
    const query = text(e.query);
    if (query) out.query = query.length > MAX_QUERY_CHARS ? `${query.slice(0, MAX_QUERY_CHARS)}…` : query;
  } else {
    out.message = text(e.message) ?? '';
    out.stack = text(e.stack);
  }
  if (code) out.code = code;
  if (out.stack === undefined) delete out.stack;
  if (e.cause !== undefined) out.cause = serialize(e.cause, seen);
  if (error instanceof AggregateError) out.errors = error.errors.slice(0, 5).map((inner) => serialize(inner, seen));
  return out;
}

export function serializeError(error: unknown): SerializedError {
  return serialize(error, new Set());
}

/** The logger with `err` serialized as above; every logger the service writes errors to goes through it. */
export function withSafeErrors(logger: Logger): Logger {
  return logger.child({}, { serializers: { err: serializeError } });
}
