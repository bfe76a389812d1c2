// Builds the Express app from its dependencies. It does not listen: main.ts (or a test) does.
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import session from 'express-session';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { SESSION_COOKIE } from '../contract/index.ts';
import { authRoutes, type SignInLimit } from './auth/auth-routes.ts';
import { DatabaseSessionStore } from './auth/session-store.ts';
import { DEFAULT_SIGN_IN_THROTTLE, type SignInThrottle } from './auth/sign-in-throttle.ts';
import type { TrustProxy } from './config.ts';
import type { DatabaseHandle } from './db/connect.ts';
import { apiNotFound, errorHandler } from './http/error-handler.ts';
import { serializeError, withSafeErrors } from './log/error-serializer.ts';
import { hostCheck } from './http/host-check.ts';
import { jsonBody } from './http/json-body.ts';
import { originCheck } from './http/origin-check.ts';
import { parseQueryString } from './http/query-string.ts';
import { SessionStreams } from './http/session-streams.ts';
import { optionsHandler, registerRoutes, type RouteSpec } from './http/route.ts';
import { createOpenApiDocument } from './openapi.ts';
import { changeRoutes } from './prompts/change-routes.ts';
import { DEFAULT_CHANGE_FEED, type ChangeFeedOptions } from './prompts/change-feed.ts';
import { promptRoutes } from './prompts/prompt-routes.ts';
import { runRoutes } from './runs/run-routes.ts';
import type { RunService } from './runs/run-use-cases.ts';
import { exportRoutes } from './export/export-routes.ts';
import { DEFAULT_IMPORT_LIMIT_BYTES } from './import/import-body.ts';
import { IMPORT_PATH, importRoutes } from './import/import-routes.ts';
import { systemRoutes } from './system-routes.ts';
import { templateRoutes } from './templates/template-routes.ts';
import { caseRoutes } from './cases/case-routes.ts';
import { batchRoutes } from './batches/batch-routes.ts';

export interface AppDeps {
  database: DatabaseHandle;
  logger: Logger;
  runs: RunService;
  sessionSecret: string;
  bodyLimitBytes?: number;
  /** The size limit of POST /api/import (PROMPTREFINE_IMPORT_LIMIT). */
  importLimitBytes?: number;
  signInLimit?: SignInLimit;
  signInThrottle?: SignInThrottle;
  allowedOrigins?: string[];
  /**
   * Host names answered besides the loopback ones (DNS rebinding check), or 'any' to answer every
   * Host (a service exposed beyond loopback without PROMPTREFINE_ALLOWED_HOSTS). Default: loopback only.
   */
  allowedHosts?: string[] | 'any';
  /** Express's `trust proxy`; default false: X-Forwarded-* headers are ignored. */
  trustProxy?: TrustProxy;
  /** The key this process proves itself with on GET /api/health?challenge= (kept in the lock file). */
  instanceKey?: string;
  /** The data folder, whose `setup-token` file is removed once the first account exists. */
  dataDir?: string;
  /** Check every answer against its schema; tests turn it on. */
  validateResponses?: boolean;
  version?: string;
  /** GET /api/changes settings; tests shorten the keep-alive. */
  changeFeed?: ChangeFeedOptions;
}

export interface App {
  express: Express;
  routes: RouteSpec[];
  sessionStore: DatabaseSessionStore;
  /** Open event streams by session, closed when their session ends. */
  sessionStreams: SessionStreams;
}

const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createApp(deps: AppDeps): App {
  const { database } = deps;
  // Request logs and the error handler's log lines never carry the values of a failed query.
  const logger = withSafeErrors(deps.logger);
  const db = database.db;
  const app = express();
  app.disable('x-powered-by');
  // Every answer of the API is Cache-Control: no-store, so an ETag is never used, and Express
  // would hash each body to make one (a page of runs with their outputs is hundreds of KB).
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy ?? false);
  app.set('query parser', parseQueryString);
  // When the request arrived, for the Server-Timing of the routes that report one.
  app.use((_req, res, next) => {
    res.locals.arrivedAt = performance.now();
    next();
  });

  app.use(
    pinoHttp({
      logger,
      // A caller's X-Request-Id is kept (so logs can be joined across services), else a new one.
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Only what identifies a request: never headers, so no cookie or authorization reaches a log,
      // and never the query string, which holds search terms. Unwrapped, so pino's own error
      // serializer (which copies a query's values) never runs before ours.
      wrapSerializers: false,
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
    }),
  );
  // First of all, so a page that rebound its name to this machine gets nothing, not even health.
  if (deps.allowedHosts !== 'any') app.use(hostCheck(deps.allowedHosts ?? []));
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(jsonBody(deps.bodyLimitBytes ?? 1024 * 1024, [IMPORT_PATH]));

  const sessionStreams = new SessionStreams();
  const sessionStore = new DatabaseSessionStore(db, (sid) => sessionStreams.closeAll(sid), database.notifications);
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: deps.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      // Each request that uses the session pushes its expiry out, so an active user stays signed in.
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: SESSION_MAX_AGE_MS, path: '/' },
    }),
  );
  app.use('/api', originCheck(deps.allowedOrigins ?? []));

  const routes: RouteSpec[] = [];
  let document: unknown;
  routes.push(
    ...systemRoutes(database, () => (document ??= createOpenApiDocument(routes, deps.version ?? '0.0.0')), () => deps.instanceKey),
    ...authRoutes(db, deps.signInLimit ?? { maxFailures: 20, windowMs: 60_000 }, deps.signInThrottle ?? DEFAULT_SIGN_IN_THROTTLE, { dataDir: deps.dataDir }),
    ...promptRoutes(db),
    ...changeRoutes(database.notifications, sessionStreams, deps.changeFeed ?? DEFAULT_CHANGE_FEED),
    ...templateRoutes(db),
    ...exportRoutes(db, deps.runs.catalog),
    ...importRoutes(db, deps.importLimitBytes ?? DEFAULT_IMPORT_LIMIT_BYTES),
    ...runRoutes(deps.runs, sessionStreams),
    ...caseRoutes(db),
    ...batchRoutes(deps.runs, sessionStreams),
  );
  app.use(optionsHandler(routes));
  const router = express.Router();
  registerRoutes(router, routes, { validateResponses: deps.validateResponses ?? false });
  app.use(router);
  app.use('/api', apiNotFound);
  app.use(errorHandler);
  return { express: app, routes, sessionStore, sessionStreams };
}
