// A browser sends its page's Origin with every cross-site write. A cookie-authenticated write from a
// foreign page is refused (SameSite=Strict already keeps the cookie off; this is a second wall).
// Clients outside a browser (curl, the VS Code extension host) send no Origin and pass.
// Browsers also say where a request comes from in Sec-Fetch-Site, which a page cannot set: a write
// marked cross-site is refused whatever its Origin (the SameSite=Strict cookie never reaches the
// service from another site, so no cross-site origin could use it anyway).
import type { RequestHandler } from 'express';
import { AppError } from './app-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function originCheck(allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (req.get('sec-fetch-site') === 'cross-site') {
      return next(new AppError('FORBIDDEN', 'Writes from another site are refused (Sec-Fetch-Site: cross-site).'));
    }
    const origin = req.get('origin');
    if (origin === undefined) return next();
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
