// Every failure under /api becomes the contract's envelope. Only AppError messages reach the client:
// anything else is logged with the request id and answered with a generic INTERNAL message, so no
// stack, SQL text or secret ever leaves the service.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiErrorBody } from '../../contract/index.ts';
import { AppError } from './app-error.ts';
import { errorCode, isDatabaseUnavailable } from './database-errors.ts';

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // Express answers a path it cannot percent-decode (/api/prompts/%E0%A4%A) with a URIError.
  if (error instanceof URIError) {
    return new AppError('INVALID_INPUT', 'path: is not valid percent-encoded UTF-8', [{ path: '', message: 'is not valid percent-encoded UTF-8' }]);
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError('UNAVAILABLE', 'The database cannot be reached right now. Try again shortly; the service reconnects by itself.', [], {
      'Retry-After': '5',
    });
  }
  return new AppError('INTERNAL', 'Something went wrong inside the service. The log has the details under this request id.');
}

export function errorBody(error: AppError): { data: null; error: ApiErrorBody } {
  return { data: null, error: { code: error.code, message: error.message, details: error.details } };
}

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const appError = toAppError(error);
  if (appError.code === 'INTERNAL' || appError.code === 'UNAVAILABLE') {
    // The SQLSTATE (or errno) says what went wrong; the error itself is logged without the query's values.
    req.log?.error({ err: error, code: appError.code, sqlstate: errorCode(error) }, 'request failed');
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(appError.headers)) res.setHeader(name, value);
  res.status(appError.status).json(errorBody(appError));
};

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `There is no route ${req.method} ${req.originalUrl.split('?')[0]}. GET /api/openapi.json lists every route.`));
};
