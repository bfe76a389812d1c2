// DNS rebinding: a page on attacker.example can make its own name resolve to 127.0.0.1 and then
// talk to the service as a same-origin page, with Host: attacker.example. Answering only to the
// names the service is really reached by (loopback names, plus PROMPTREFINE_ALLOWED_HOSTS) leaves
// such a page nothing to read or write. The Origin check relies on this: it compares with Host.
import type { RequestHandler } from 'express';
import { AppError } from './app-error.ts';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** The host name of a Host header, lower-cased, without the port; undefined when it is not one. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  return match?.[1]?.toLowerCase();
}

export function hostCheck(allowedHosts: readonly string[]): RequestHandler {
  const allowed = new Set([...LOOPBACK_NAMES, ...allowedHosts.map((h) => h.toLowerCase())]);
  return (req, _res, next) => {
    // The raw header, not req.host: behind a trusted proxy Express would read X-Forwarded-Host.
    const header = req.headers.host;
    const name = hostName(header);
    if (name !== undefined && allowed.has(name)) return next();
    next(
      new AppError(
        'FORBIDDEN',
        `Requests for the host ${JSON.stringify(header ?? '')} are refused: this service answers to ${[...allowed].join(', ')}. ` +
          'Add the name you reach it by to PROMPTREFINE_ALLOWED_HOSTS.',
      ),
    );
  };
}
