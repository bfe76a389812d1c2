// What a session cookie holds: `s:<session id>.<signature>`, URL-encoded.
import { createHash, createHmac } from 'node:crypto';

/** The raw session id inside a `promptrefine.sid=...` cookie pair. */
export function sessionIdOf(cookie: string | undefined): string {
  const value = decodeURIComponent((cookie ?? '').split('=')[1] ?? '');
  const match = /^s:([^.]+)\./.exec(value);
  if (!match?.[1]) throw new Error(`Not a signed session cookie: ${cookie}`);
  return match[1];
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** A cookie pair for `sid`, signed with `secret` the way express-session signs (cookie-signature). */
export function forgeCookie(sid: string, secret: string): string {
  const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `promptrefine.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}
