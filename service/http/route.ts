// A route is declared once, as data: its method, path, zod schemas and handler. The same
// declarations register the Express routes and generate the OpenAPI document, so the document
// cannot drift from what is validated.
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { AppError } from './app-error.ts';
import { parseInput } from './validation.ts';

type Method = 'get' | 'post' | 'patch' | 'delete';
const EMPTY = z.strictObject({});
/** Headers are never strict: every request carries many a route does not read. */
const NO_HEADERS = z.object({});

export interface RouteContext<P, Q, B, H = Record<string, never>> {
  params: P;
  query: Q;
  body: B;
  /** The route's `headers`, parsed: handlers read these, never req.headers again. */
  headers: H;
  req: Request;
  res: Response;
  /** The signed-in user; always set on routes that are not public. */
  userId: string;
  /** Answer with another status than the route's default (e.g. 200 instead of 202). */
  setStatus(status: number): void;
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  H extends z.ZodObject = typeof NO_HEADERS,
> {
  method: Method;
  /** Express syntax: /api/prompts/:id */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Reachable without a session: only sign-in, session, health and the OpenAPI document. */
  public?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  headers?: H;
  /**
   * The handler reads and checks the body itself (an import: its own size limit, checked record by
   * record); `body` then only documents it. The JSON parser of the other routes skips this path.
   */
  ownBody?: boolean;
  response: R;
  /** The success status; 200 unless set. */
  status?: number;
  /** Other success statuses the route may answer with, for the OpenAPI document. */
  alternativeStatuses?: Record<number, string>;
  /**
   * The route writes its own answer (an event stream, a file); `response` documents it, and
   * `otherContent` the other media types it may answer with.
   */
  raw?: { contentType: string; description?: string; otherContent?: Record<string, z.ZodType> };
  /** Runs before validation, e.g. a rate limiter. */
  before?: RequestHandler[];
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>, z.output<H>>): Promise<z.input<R> | void>;
}

/** Keeps each route's schema types linked to its handler's argument types. */
export function defineRoute<
  P extends z.ZodType = typeof EMPTY,
  Q extends z.ZodType = typeof EMPTY,
  B extends z.ZodType = typeof EMPTY,
  R extends z.ZodType = z.ZodType,
  H extends z.ZodObject = typeof NO_HEADERS,
>(spec: RouteSpec<P, Q, B, R, H>): RouteSpec {
  return spec as unknown as RouteSpec;
}

export interface RegisterOptions {
  /** Check every answer against its schema (tests turn this on to catch contract drift). */
  validateResponses: boolean;
}

function requireSession(req: Request): string {
  const userId = req.session?.userId;
  if (!userId) throw new AppError('UNAUTHENTICATED', 'Sign in first: POST /api/auth/signin with your email and password.');
  return userId;
}

export function registerRoutes(router: Router, routes: RouteSpec[], options: RegisterOptions): void {
  for (const route of routes) {
    const handle = async (req: Request, res: Response, _next: NextFunction) => {
      const userId = route.public ? (req.session?.userId ?? '') : requireSession(req);
      const headers = parseInput(route.headers ?? NO_HEADERS, req.headers, 'headers');
      const params = parseInput(route.params ?? EMPTY, req.params, 'params');
      const query = parseInput(route.query ?? EMPTY, req.query ?? {}, 'query');
      let body: unknown;
      if (route.body && !route.ownBody) {
        if (req.body === undefined) {
          throw new AppError('INVALID_INPUT', 'body: must be a JSON object, sent with Content-Type: application/json', [
            { path: '', message: 'must be a JSON object' },
          ]);
        }
        body = parseInput(route.body, req.body, 'body');
      }
      let status = route.status ?? 200;
      const data = await route.handler({
        params,
        query,
        body,
        headers,
        req,
        res,
        userId,
        setStatus: (s) => {
          status = s;
        },
      });
      if (route.raw) return;
      if (options.validateResponses) {
        const checked = route.response.safeParse(data);
        if (!checked.success) {
          throw new Error(`Response of ${route.method.toUpperCase()} ${route.path} breaks its schema: ${checked.error.message}`);
        }
      }
      res.status(status).json({ data, error: null });
    };
    router[route.method](route.path, ...(route.before ?? []), handle);
  }
}

/** Answers OPTIONS with the methods a path has, and no body (Express would send them as text). */
export function optionsHandler(routes: RouteSpec[]): (req: Request, res: Response, next: NextFunction) => void {
  const patterns = routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`),
  }));
  return (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const methods = new Set(patterns.filter((p) => p.pattern.test(req.path)).map((p) => p.method));
    if (methods.size === 0) return next();
    if (methods.has('GET')) methods.add('HEAD');
    res.setHeader('Allow', [...methods, 'OPTIONS'].join(', '));
    res.status(204).end();
  };
}
