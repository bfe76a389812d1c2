// Any failure of a host call, sorted for the webview by what the user can do about it
// (webview/protocol.ts PanelError), in the service's own words.
import type { PanelError } from '../../webview/protocol.ts';
import { ApiError, ServiceUnreachableError, userMessage } from '../api/errors.ts';

export function toPanelError(error: unknown): PanelError {
  if (error instanceof ServiceUnreachableError) return { kind: 'unreachable', message: error.message, details: [] };
  if (error instanceof ApiError) {
    if (error.code === 'UNAUTHENTICATED') return { kind: 'expired', message: `Your PromptRefine session has expired or was signed out (${error.message}).`, details: [] };
    if (error.code === 'INVALID_INPUT') return { kind: 'invalid', message: error.message, details: error.details };
    if (error.code === 'NOT_FOUND') return { kind: 'notFound', message: error.message, details: [] };
    return { kind: 'other', message: error.message, details: error.details };
  }
  return { kind: 'other', message: userMessage(error), details: [] };
}
