import { z } from 'zod';

export const DATABASE_KINDS = ['postgres', 'embedded'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

export const Health = z.object({ status: z.literal('ok'), database: z.enum(DATABASE_KINDS) }).meta({ id: 'Health' });
export type Health = z.infer<typeof Health>;
