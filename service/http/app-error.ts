// The one error type of the service: a contract error code, a message a user can act on, and the
// fields at fault. One middleware (error-handler.ts) turns it, and anything else thrown, into the envelope.
import { type ErrorCode, type ErrorDetail, HTTP_STATUS } from '../../contract/index.ts';

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Headers the answer must carry, such as Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = HTTP_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} was not found (unknown or deleted id)`);

export const invalidInput = (path: string, message: string) =>
  new AppError('INVALID_INPUT', path ? `${path}: ${message}` : message, [{ path, message }]);
