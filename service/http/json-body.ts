// Reads JSON bodies, and turns every way reading one can fail into the contract's error, so a
// malformed body is a 400 (or 413) naming the body, never a 500.
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { AppError } from './app-error.ts';

const bodyError = (message: string) => new AppError('INVALID_INPUT', `body: ${message}`, [{ path: '', message }]);

/** body-parser's errors carry a `type` (and http-errors' `status`). */
function toBodyError(error: { type?: unknown; limit?: unknown; status?: unknown }): AppError {
  switch (error.type) {
    case 'entity.parse.failed':
      return bodyError('is not valid JSON');
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', `The body is larger than the limit of ${String(error.limit)} bytes`);
    case 'encoding.invalid':
      return bodyError('is not valid UTF-8');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return bodyError('send JSON encoded as UTF-8');
    default:
      // gzip that is not gzip, fewer bytes than Content-Length, a client that went away.
      return bodyError('could not be read; check that it matches its Content-Length and Content-Encoding');
  }
}

/** `ownBodyPaths`: routes that read their own body (with their own limit), left unread here. */
export function jsonBody(limitBytes: number, ownBodyPaths: readonly string[] = []): RequestHandler {
  const parse = express.json({
    limit: limitBytes,
    // The parser would turn bytes that are not UTF-8 into U+FFFD, and the text would be saved altered.
    verify: (_req, _res, body) => {
      if (!isUtf8(body)) throw Object.assign(new Error('The body is not valid UTF-8'), { type: 'encoding.invalid' });
    },
  });
  return (req, res, next) => {
    if (ownBodyPaths.includes(req.path)) return next();
    parse(req, res, (error?: unknown) => next(error ? toBodyError(error as { type?: unknown }) : undefined));
  };
}
