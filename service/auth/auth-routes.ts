import type { Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { SESSION_COOKIE, SETUP_TOKEN_HEADER, SessionInfo, SetupBody, SetupHeaders, SignedIn, SignedOut, SignInBody } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { AppError, invalidInput } from '../http/app-error.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { decoyHash, hashPassword } from './password.ts';
import { consumeTokenAndCreateUser, removeSetupTokenFile, storedSetupToken, tokensMatch } from './setup-token.ts';
import { claimSignInAttempt, forgetSignInAttempts, secondsBlocked, type SignInThrottle } from './sign-in-throttle.ts';
import { authenticate, checkCredentials, CredentialsError } from './user-accounts.ts';
import { findOnlyUser, findUserById, toUser } from './user-queries.ts';

export interface SignInLimit {
  /** Failed attempts allowed per client (its socket address, or the forwarded one behind a trusted proxy) within the window. */
  maxFailures: number;
  windowMs: number;
}

const rateLimited = (retryAfterSeconds: number | string) =>
  new AppError('RATE_LIMITED', `Too many failed sign-in attempts. Try again in ${String(retryAfterSeconds)} seconds.`, [], {
    'Retry-After': String(retryAfterSeconds),
  });

function promisify(run: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}

async function signInSession(req: Request, userId: string): Promise<void> {
  // A fresh session id at sign-in, so an id planted before it (session fixation) is worthless.
  await promisify((done) => req.session.regenerate(done));
  req.session.userId = userId;
  await promisify((done) => req.session.save(done));
}

/** The throttle's key for setup attempts: one count for every caller, as there is one token. */
const SETUP_THROTTLE_KEY = 'setup:first-account';

const setupConflict = () => new AppError('CONFLICT', 'The account already exists. Sign in with POST /api/auth/signin.');

export interface SetupOptions {
  /** The embedded database's folder, whose `setup-token` file goes once the account exists. */
  dataDir?: string;
}

export function authRoutes(db: Database, limit: SignInLimit, throttle: SignInThrottle, setup: SetupOptions = {}): RouteSpec[] {
  // Per client, in this process: bounds how fast one client can make the service hash passwords
  // and add rows for made-up emails. It keys on req.ip, which is the socket address unless
  // PROMPTREFINE_TRUST_PROXY names the proxies whose X-Forwarded-For may be believed.
  const signInLimiter = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.maxFailures,
    // Only failures count: a user who types the password right is never locked out by earlier typos.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Its checks warn about X-Forwarded-For on an untrusted hop and about `trust proxy = true`:
    // ignoring that header there is the intent, and trusting every hop is the operator's explicit choice.
    validate: { xForwardedForHeader: false, trustProxy: false },
    handler: (_req, res, next) => next(rateLimited(String(res.getHeader('Retry-After')))),
  });
  // Computed now, so the first unknown email does not take longer (two hashes) than a known one.
  decoyHash().catch(() => undefined);

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
        return { user: row ? toUser(row) : null, setupRequired: row ? false : !(await findOnlyUser(db)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/setup',
      tag: 'Auth',
      summary: 'Create the first (and only) account with the one-time setup token; sets the session cookie',
      description:
        'Only while no account exists; afterwards always 409 CONFLICT. The token is in the `setup-token` file of the ' +
        "service's data folder (mode 0600, removed once the account exists) and printed on the service's console at start, " +
        `so only someone who can read either can create the account. Send it as the ${SETUP_TOKEN_HEADER} header; a wrong ` +
        'or missing token is 401. Attempts are throttled like sign-in (429 with Retry-After). The password needs at least 12 characters.',
      public: true,
      status: 201,
      before: [signInLimiter],
      headers: SetupHeaders,
      body: SetupBody,
      response: SignedIn,
      handler: async ({ body, req }) => {
        if (await findOnlyUser(db)) throw setupConflict();
        const given = req.get(SETUP_TOKEN_HEADER) ?? '';
        const expected = await storedSetupToken(db);
        if (!given || !expected || !tokensMatch(given, expected)) {
          // Only wrong guesses count, so racing right ones are not throttled; once guesses are
          // throttled, the right token waits too, or its answer would tell a guesser it was right.
          const claim = await claimSignInAttempt(db, SETUP_THROTTLE_KEY, throttle);
          if (!claim.allowed) throw rateLimited(claim.retryAfterSeconds);
          if (await findOnlyUser(db)) throw setupConflict();
          throw new AppError(
            'UNAUTHENTICATED',
            `A wrong or missing ${SETUP_TOKEN_HEADER} header. The token is in the setup-token file of the service's data folder and on its console.`,
          );
        }
        const wait = await secondsBlocked(db, SETUP_THROTTLE_KEY);
        if (wait > 0) throw rateLimited(wait);
        try {
          checkCredentials(body.email, body.password);
        } catch (error) {
          if (error instanceof CredentialsError) throw invalidInput(error.field, error.message);
          throw error;
        }
        const created = await consumeTokenAndCreateUser(db, given, { email: body.email, passwordHash: await hashPassword(body.password) });
        // Another setup with the same token won the race, or an account was made from the command line.
        if (!created) throw setupConflict();
        await forgetSignInAttempts(db, SETUP_THROTTLE_KEY);
        if (setup.dataDir) removeSetupTokenFile(setup.dataDir);
        await signInSession(req, created.id);
        return { user: created };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/signin',
      tag: 'Auth',
      summary: 'Sign in with email and password; sets the session cookie',
      description:
        'A wrong email and a wrong password get the same 401. Guessing is slowed per account, in the database (so every ' +
        'process of the service and every client address counts together, and an unknown email behaves like the real one): ' +
        'after PROMPTREFINE_SIGNIN_FREE_FAILURES attempts, each further attempt must wait PROMPTREFINE_SIGNIN_DELAY_SECONDS, ' +
        'doubling per attempt up to PROMPTREFINE_SIGNIN_MAX_DELAY_SECONDS (default 5, 1 s, 60 s); an attempt made sooner is ' +
        'answered 429 RATE_LIMITED with Retry-After (seconds) and its password is not checked. A growing delay rather than a ' +
        'lockout: once a burst of wrong guesses stops, the right password works again after at most that longest delay. A ' +
        'successful sign-in resets the count. Each client (socket address; X-Forwarded-For only from proxies named in ' +
        'PROMPTREFINE_TRUST_PROXY) may also fail at most PROMPTREFINE_SIGNIN_MAX_FAILURES times per ' +
        'PROMPTREFINE_SIGNIN_WINDOW_SECONDS (default 20 per 60 s), then gets 429 until the window ends.',
      public: true,
      before: [signInLimiter],
      body: SignInBody,
      response: SignedIn,
      handler: async ({ body, req }) => {
        const claim = await claimSignInAttempt(db, body.email, throttle);
        if (!claim.allowed) throw rateLimited(claim.retryAfterSeconds);
        const user = await authenticate(db, body.email, body.password);
        await forgetSignInAttempts(db, body.email);
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
