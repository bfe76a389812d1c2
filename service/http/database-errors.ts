// Which errors mean "the database cannot be used right now" (503, retry later) rather than a bug (500).
// Drivers are wrapped (drizzle's DrizzleQueryError keeps the driver's error as `cause`), so the
// whole cause chain is looked at.

/** Node socket errors: the server is not there, not reachable, or hung up. */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that say "not now" rather than "this request is wrong":
 * - class 08, connection exception;
 * - class 53, insufficient resources (53300 too many connections, 53100 disk full, 53200 out of memory);
 * - 55000, object not in prerequisite state: how PostgreSQL refuses a connection to a database with
 *   ALLOW_CONNECTIONS false. The service runs no statement that raises it otherwise (no lastval(),
 *   no sequence or replication functions), so here it means the database is closed to us;
 * - 57P01 admin shutdown (pg_terminate_backend, a fast stop), 57P02 crash shutdown, 57P03 cannot
 *   connect now (starting up, or in recovery), 57P04 database dropped, 57P05 idle session timeout.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53...|55000|57P0[1-5])$/;

/** Errors without a code: node-postgres's pool and client, and the embedded PGlite. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end',
  'PGlite is closed',
  'PGlite is closing',
  'the database system is starting up',
  'the database system is shutting down',
];

const MAX_CAUSE_DEPTH = 8;

/** The SQLSTATE or errno code of the first error in the cause chain that has one. */
export function errorCode(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The error and its causes, outermost first; stops at a cycle or at a depth no real chain reaches. */
export function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  for (let e: unknown = error; e && typeof e === 'object' && chain.length < MAX_CAUSE_DEPTH && !chain.includes(e); e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return causeChain(error).some((e) => {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return true;
    // A connect to "localhost" tries ::1 and 127.0.0.1 and reports both refusals together.
    return e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner));
  });
}
