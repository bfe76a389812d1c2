import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { Health, HealthQuery } from '../contract/index.ts';
import type { DatabaseHandle } from './db/connect.ts';
import { AppError } from './http/app-error.ts';
import { isDatabaseUnavailable } from './http/database-errors.ts';
import { defineRoute, type RouteSpec } from './http/route.ts';

/** HMAC-SHA256 of a health challenge under the instance key (also computed by the extension). */
export const healthProof = (key: string, challenge: string) => createHmac('sha256', key).update(challenge).digest('base64url');

export function systemRoutes(database: DatabaseHandle, openApiDocument: () => unknown, instanceKey?: () => string | undefined): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/health',
      tag: 'System',
      summary: 'Ready when the database answers',
      public: true,
      query: HealthQuery,
      response: Health,
      handler: async ({ query }) => {
        try {
          await database.ping();
        } catch (error) {
          if (!isDatabaseUnavailable(error)) throw error;
          throw new AppError('UNAVAILABLE', `The ${database.kind} database cannot be reached. The service keeps trying; check the database.`, [], {
            'Retry-After': '5',
          });
        }
        const key = instanceKey?.();
        return { status: 'ok' as const, database: database.kind, ...(query.challenge && key ? { proof: healthProof(key, query.challenge) } : {}) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/openapi.json',
      tag: 'System',
      summary: 'This OpenAPI 3.1 document',
      public: true,
      raw: { contentType: 'application/json' },
      response: z.object({ openapi: z.string() }).loose(),
      handler: async ({ res }) => {
        // The document is the body itself, not wrapped in the envelope: tools expect it bare.
        res.json(openApiDocument());
      },
    }),
  ];
}
