// Shapes every route shares: ids, times, the list page and the error envelope.
// Written once here and imported by the service, the extension and the webview.
import { z } from 'zod';

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status each error code is answered with (contract § Envelope; FORBIDDEN is an addition). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export const Id = z.uuid().meta({ description: 'A UUID', example: '0b9f6f64-6a8e-4a43-9a39-7d1f0f5b8c11' });
export const Timestamp = z.iso.datetime().meta({ description: 'ISO-8601 time in UTC', example: '2026-11-27T12:00:00.000Z' });

/**
 * A template's id: built-in templates have stable ids (`builtin:<slug>`), the user's own have UUIDs.
 * Here rather than in templates.ts because POST /api/prompts takes one too.
 */
export const BUILTIN_TEMPLATE_PREFIX = 'builtin:';
export const TemplateId = z
  .string()
  .refine((v) => /^builtin:[a-z0-9]+(-[a-z0-9]+)*$/.test(v) || z.uuid().safeParse(v).success, 'must be a UUID or builtin:<slug>')
  .meta({ description: 'A UUID (your own template) or `builtin:<slug>`', example: 'builtin:review-diff' });

export const ErrorDetail = z
  .object({
    path: z.string().meta({ description: 'The field, as a dotted path (empty for the whole input)' }),
    message: z.string(),
  })
  .meta({ id: 'ErrorDetail' });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ApiErrorBody = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.array(ErrorDetail),
  })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export const ErrorEnvelope = z.object({ data: z.null(), error: ApiErrorBody }).meta({ id: 'ErrorEnvelope' });

export function envelopeOf<T extends z.ZodType>(data: T) {
  return z.object({ data, error: z.null() });
}

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
  });
}
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** `limit` and `cursor` of every list route. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Page size, 1–200' }),
  cursor: z.string().min(1).max(500).optional().meta({ description: '`nextCursor` of the previous page, as it came; any other value is a 400' }),
});

/**
 * A boolean query parameter. The URL carries `true` or `false` (anything else is a 400), the
 * handler gets a boolean, and the OpenAPI document says `type: boolean`, which is how generated
 * clients take it and how they write it into the URL.
 */
export function booleanQuery(description: string) {
  return z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({
      description,
      override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
        for (const key of Object.keys(jsonSchema)) if (key !== 'description') delete jsonSchema[key];
        Object.assign(jsonSchema, { type: 'boolean', default: false });
      },
    });
}

/** Every response under /api (SSE streams aside) is one of these two. */
export type Envelope<T> = { data: T; error: null } | { data: null; error: ApiErrorBody };
