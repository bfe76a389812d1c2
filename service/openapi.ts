// The OpenAPI 3.1 document, generated from the same route declarations and zod schemas that
// validate requests (http/route.ts), so it always lists exactly the routes the service has.
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ChangeEvent, ErrorEnvelope, envelopeOf, HTTP_STATUS, SESSION_COOKIE } from '../contract/index.ts';
import type { RouteSpec } from './http/route.ts';

/** Express `/api/prompts/:id` → OpenAPI `/api/prompts/{id}`. */
export const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorEnvelope } },
});

/**
 * A request body as the service reads it: the input shape (fields with a default are optional),
 * written inline with its schema's id as its title rather than as a shared component. Generated
 * clients treat a `default` in a component as "always present", which suits answers but would make
 * every defaulted request field required (openapi-typescript does so); inline in a request body they
 * read it as the value the service uses when the field is left out.
 */
function requestSchema(schema: z.ZodType): z.ZodType {
  const meta = z.globalRegistry.get(schema);
  if (!meta?.id || !(schema instanceof z.ZodObject)) return schema;
  // extend() builds a new object schema with the same fields and strictness, no parent and no id,
  // so it renders inline instead of as a $ref to the shared component.
  const { id, ...rest } = meta;
  return schema.extend({}).meta({ ...rest, title: id });
}

function operationOf(route: RouteSpec): ZodOpenApiOperationObject {
  const status = String(route.status ?? 200);
  const success = route.raw
    ? {
        description: route.raw.description ?? 'An event stream',
        content: {
          [route.raw.contentType]: { schema: route.response },
          ...Object.fromEntries(Object.entries(route.raw.otherContent ?? {}).map(([type, schema]) => [type, { schema }])),
        },
      }
    : { description: 'Success', content: { 'application/json': { schema: envelopeOf(route.response) } } };
  type Response = typeof success | ReturnType<typeof errorResponse>;
  const responses: Record<string, Response> = { [status]: success };
  for (const [alt, description] of Object.entries(route.alternativeStatuses ?? {})) {
    responses[alt] = { description, content: { 'application/json': { schema: envelopeOf(route.response) } } };
  }
  if (route.params || route.query || route.body || route.headers) responses[HTTP_STATUS.INVALID_INPUT] = errorResponse(
      'INVALID_INPUT: a field is wrong (each named in details), also text the database cannot store as sent: a NUL character, half a surrogate pair, or bytes or percent-encoding that are not UTF-8',
    );
  if (!route.public) responses[HTTP_STATUS.UNAUTHENTICATED] = errorResponse('UNAUTHENTICATED: sign in first');
  if (route.params) responses[HTTP_STATUS.NOT_FOUND] = errorResponse('NOT_FOUND: unknown or deleted id');
  if (route.body) responses[HTTP_STATUS.PAYLOAD_TOO_LARGE] = errorResponse('PAYLOAD_TOO_LARGE');
  // Every request is checked against Host (DNS rebinding); writes also against Origin and Sec-Fetch-Site.
  responses[HTTP_STATUS.FORBIDDEN] = errorResponse(
    route.method === 'get'
      ? 'FORBIDDEN: a Host the service does not answer to'
      : 'FORBIDDEN: a Host the service does not answer to, or a browser write from a foreign Origin or marked Sec-Fetch-Site: cross-site',
  );
  if (route.before?.length) responses[HTTP_STATUS.RATE_LIMITED] = errorResponse('RATE_LIMITED: see Retry-After');
  responses[HTTP_STATUS.UNAVAILABLE] = errorResponse(
    'UNAVAILABLE: the database cannot be used now (unreachable, refusing connections, out of connections, shutting down); retry after Retry-After seconds',
  );
  responses[HTTP_STATUS.INTERNAL] = errorResponse('INTERNAL');

  const requestParams: ZodOpenApiOperationObject['requestParams'] = {};
  if (route.params) requestParams.path = route.params as z.ZodObject;
  if (route.query) requestParams.query = route.query as z.ZodObject;
  if (route.headers) requestParams.header = route.headers;
  return {
    operationId: `${route.method}${toOpenApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.public ? { security: [] } : {}),
    requestParams,
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: requestSchema(route.body) } } } } : {}),
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
}

export function createOpenApiDocument(routes: RouteSpec[], version: string): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationOf(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'PromptRefine',
      version,
      description:
        'Prompts, immutable versions and test runs against OpenAI models. Every answer is `{data, error}`. Sign in with POST /api/auth/signin; the session cookie authenticates every other call. ' +
        'On loopback the service answers only to the Host names localhost, 127.0.0.1, [::1] and those in PROMPTREFINE_ALLOWED_HOSTS; ' +
        'any other Host gets 403 FORBIDDEN (DNS rebinding).',
    },
    servers: [{ url: '/' }],
    security: [{ sessionCookie: [] }],
    components: {
      securitySchemes: { sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
      // The data of GET /api/changes events: a stream has no JSON schema of its own to reference it.
      schemas: { ChangeEvent },
    },
    paths,
  });
}
