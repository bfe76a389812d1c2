// The query string parser: flat `name=value` pairs, a repeated name becoming an array (which every
// schema then refuses where one value is expected), as Express's 'simple' parser does. Unlike it,
// malformed percent-encoding (`%E0%A4%A`) or bytes that are not UTF-8 (`%FF`) are refused with 400
// instead of being turned silently into U+FFFD and searched for.
import { AppError } from './app-error.ts';

/** As many as Node's querystring keeps; more are ignored, not an error. */
const MAX_PAIRS = 1000;

function decode(part: string, name: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    const field = name || 'query';
    throw new AppError('INVALID_INPUT', `${field}: is not valid percent-encoded UTF-8`, [
      { path: field, message: 'is not valid percent-encoded UTF-8' },
    ]);
  }
}

/** Express passes null when the URL has no `?`. */
export function parseQueryString(query: string | null | undefined): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (!query) return result;
  const pairs = query.split('&').slice(0, MAX_PAIRS);
  for (const pair of pairs) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const name = decode(rawName, '');
    const value = decode(equals === -1 ? '' : pair.slice(equals + 1), name);
    const existing = result[name];
    if (existing === undefined) result[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else result[name] = [existing, value];
  }
  return result;
}
