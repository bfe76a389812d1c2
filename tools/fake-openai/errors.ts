// OpenAI's error envelope. Every non-2xx body the real API sends has this shape, and the SDK
// reads `error.message/type/code/param` from it into `APIError`, so the fake sends exactly this.

/** The inner object of `{"error": {...}}`. All four keys are always present (null when unset). */
export interface OpenAIErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** A complete HTTP error answer: status, body and any extra headers (e.g. Retry-After). */
export interface ErrorReply {
  status: number;
  error: OpenAIErrorObject;
  headers?: Record<string, string>;
}

/** What OpenAI typically answers for a given status when a test does not say otherwise. */
export function defaultErrorFor(status: number): Omit<OpenAIErrorObject, 'param'> {
  switch (status) {
    case 400:
      return { type: 'invalid_request_error', code: null, message: 'Bad request.' };
    case 401:
      return { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' };
    case 403:
      return { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.' };
    case 404:
      return { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' };
    case 429:
      return { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again later.' };
    case 500:
      return { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' };
    case 503:
      return { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' };
    default:
      return status >= 500
        ? { type: 'server_error', code: null, message: `Upstream error (${status}).` }
        : { type: 'invalid_request_error', code: null, message: `Request failed (${status}).` };
  }
}

/** Builds a 400 `invalid_request_error`, the shape of almost every validation failure. */
export function invalidRequest(message: string, param: string | null, code: string | null): ErrorReply {
  return { status: 400, error: { message, type: 'invalid_request_error', param, code } };
}
