import { z } from 'zod';
import { Id } from './common.ts';

/** The name of the session cookie that POST /api/auth/signin sets and every other call sends. */
export const SESSION_COOKIE = 'promptrefine.sid';

export const User = z
  .object({ id: Id, email: z.string(), name: z.string().nullable() })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const SessionInfo = z
  .object({
    user: User.nullable(),
    setupRequired: z.boolean().meta({ description: 'True while no account exists: create it with POST /api/auth/setup' }),
  })
  .meta({ id: 'SessionInfo' });
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

/** The header that carries the one-time setup token (the data folder's `setup-token` file, or the console). */
export const SETUP_TOKEN_HEADER = 'x-setup-token';

export const SetupBody = z
  .strictObject({
    email: z.string().trim().min(1, 'must not be empty').max(320),
    password: z.string().min(1, 'must not be empty').max(1024),
  })
  .meta({ id: 'SetupBody' });
export type SetupBody = z.infer<typeof SetupBody>;

export const SetupHeaders = z.object({
  [SETUP_TOKEN_HEADER]: z
    .string()
    .max(512)
    .optional()
    .meta({ description: "The one-time setup token: the `setup-token` file in the service's data folder, also printed on its console" }),
});
