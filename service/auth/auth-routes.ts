import type { Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { SESSION_COOKIE, SessionInfo, SignedIn, SignedOut, SignInBody } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { AppError } from '../http/app-error.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { authenticate } from './user-accounts.ts';
import { findUserById, toUser } from './user-queries.ts';

export interface SignInLimit {
  /** Failed attempts allowed per client within the window. */
  maxFailures: number;
  windowMs: number;
}

function promisify(run: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}

async function signInSession(req: Request, userId: string): Promise<void> {
  // A fresh session id at sign-in, so an id planted before it (session fixation) is worthless.
  await promisify((done) => req.session.regenerate(done));
  req.session.userId = userId;
  await promisify((done) => req.session.save(done));
}

export function authRoutes(db: Database, limit: SignInLimit): RouteSpec[] {
  const signInLimiter = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.maxFailures,
    // Only failures count: a user who types the password right is never locked out by earlier typos.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res, next) => {
      const retryAfter = res.getHeader('Retry-After');
      next(
        new AppError('RATE_LIMITED', `Too many failed sign-in attempts. Try again in ${String(retryAfter)} seconds.`, [], {
          'Retry-After': String(retryAfter),
        }),
      );
    },
  });

  return [
    defineRoute({
      method: 'get',
      path: '/api/auth/session',
      tag: 'Auth',
      summary: 'Who is signed in (never 401)',
      public: true,
      response: SessionInfo,
      handler: async ({ req }) => {
        const userId = req.session?.userId;
        const row = userId ? await findUserById(db, userId) : undefined;
        return { user: row ? toUser(row) : null };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/signin',
      tag: 'Auth',
      summary: 'Sign in with email and password; sets the session cookie',
      description: 'A wrong email and a wrong password get the same 401. Repeated failures from one client get 429 with Retry-After.',
      public: true,
      before: [signInLimiter],
      body: SignInBody,
      response: SignedIn,
      handler: async ({ body, req }) => {
        const user = await authenticate(db, body.email, body.password);
        await signInSession(req, user.id);
        return { user };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/signout',
      tag: 'Auth',
      summary: 'Sign out; the session is destroyed in the store',
      description: "Also ends the session's open event streams (GET /api/test-runs/:id/events).",
      response: SignedOut,
      handler: async ({ req, res }) => {
        await promisify((done) => req.session.destroy(done));
        res.clearCookie(SESSION_COOKIE, { path: '/' });
        return { signedOut: true as const };
      },
    }),
  ];
}
