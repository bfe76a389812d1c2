// The two ways a call to the service fails, told apart so the editor can offer the right way out:
// the service answered with an error envelope (ApiError), or it could not be reached at all.
import type { ErrorCode, ErrorDetail } from '../../contract/index.ts';

/** The service answered `{ data: null, error }`; `message` is worded for the user as it is. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** No answer at all: nothing listens at the URL, DNS failed, the connection dropped or timed out. */
export class ServiceUnreachableError extends Error {
  override name = 'ServiceUnreachableError';
  constructor(
    readonly serviceUrl: string,
    readonly reason: string,
  ) {
    super(`Cannot reach the PromptRefine service at ${serviceUrl} (${reason}).`);
  }
}

/** The extension's local service could not be started; the message says why and what to do next. */
export class LocalServiceUnavailableError extends ServiceUnreachableError {
  override name = 'LocalServiceUnavailableError';
  constructor(message: string) {
    super('the local service', message);
    this.message = message;
  }
}

/** The service answered, but not with a body of the contract (a proxy page, another program on the port). */
export class UnexpectedResponseError extends Error {
  override name = 'UnexpectedResponseError';
  constructor(
    readonly serviceUrl: string,
    readonly status: number,
    detail: string,
  ) {
    super(`The service at ${serviceUrl} answered HTTP ${status} with something that is not a PromptRefine answer: ${detail}`);
  }
}

export const isApiError = (error: unknown, code?: ErrorCode): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

/** A message as one sentence: its own full stop kept, one added when it has none ("Wrong password." stays as it is). */
export function asSentence(message: string): string {
  const text = message.trim();
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** What to show the user for any error: the service's message exactly as the service words it. */
export function userMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
