import { eq, sql } from 'drizzle-orm';
import type { User } from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { users } from '../db/schema.ts';

type UserRow = typeof users.$inferSelect;

export const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, name: row.name });

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
  return row;
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** The single user, or undefined before one is created. */
export async function findOnlyUser(db: Executor): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).orderBy(users.createdAt).limit(1);
  return row;
}

export async function insertUser(db: Executor, values: { email: string; name: string | null; passwordHash: string }): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  return row as UserRow;
}

export async function updateUserCredentials(
  db: Executor,
  id: string,
  values: { email: string; passwordHash: string; name?: string | null },
): Promise<UserRow> {
  const [row] = await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row as UserRow;
}
