import { z } from 'zod';

export const DATABASE_KINDS = ['postgres', 'embedded'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

export const Health = z
  .object({
    status: z.literal('ok'),
    database: z.enum(DATABASE_KINDS),
    proof: z
      .string()
      .optional()
      .meta({
        description:
          'With ?challenge=: HMAC-SHA256 of the challenge under the key in the data folder\'s lock file (base64url), so a local ' +
          'client can tell this service from another program on its port. Only on the embedded database',
      }),
  })
  .meta({ id: 'Health' });

export const HealthQuery = z.strictObject({
  challenge: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16-128 letters, digits, _ or -')
    .optional()
    .meta({ description: 'A random value; the answer then carries `proof`' }),
});
export type Health = z.infer<typeof Health>;
