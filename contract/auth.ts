import { z } from 'zod';
import { Id } from './common.ts';

/** The name of the session cookie that POST /api/auth/signin sets and every other call sends. */
export const SESSION_COOKIE = 'promptrefine.sid';

export const User = z
  .object({ id: Id, email: z.string(), name: z.string().nullable() })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const SessionInfo = z.object({ user: User.nullable() }).meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SignInBody = z
  .strictObject({
    email: z.string().trim().min(1, 'must not be empty').max(320),
    password: z.string().min(1, 'must not be empty').max(1024),
  })
  .meta({ id: 'SignInBody' });
export type SignInBody = z.infer<typeof SignInBody>;

export const SignedIn = z.object({ user: User });
export const SignedOut = z.object({ signedOut: z.literal(true) });
