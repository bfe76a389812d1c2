// A browser sends its page's Origin with every cross-site write. A cookie-authenticated write from a
// foreign page is refused (SameSite=Strict already keeps the cookie off; this is a second wall).
// Clients outside a browser (curl, the VS Code extension host) send no Origin and pass.
import type { RequestHandler } from 'express';
import { AppError } from './app-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function originCheck(allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const origin = req.get('origin');
    if (SAFE_METHODS.has(req.method) || origin === undefined) return next();
    const own = `${req.protocol}://${req.get('host')}`;
    if (origin === own || allowedOrigins.includes(origin)) return next();
    next(
      new AppError(
        'FORBIDDEN',
        `Writes from the web page at ${origin} are refused. Call the service from its own origin, from a script, or add the origin to PROMPTREFINE_ALLOWED_ORIGINS.`,
      ),
    );
  };
}
