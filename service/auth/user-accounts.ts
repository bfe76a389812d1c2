// The single user: created from the environment at start, or set from the command line.
import type { User } from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { AppError } from '../http/app-error.ts';
import { decoyHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.ts';
import { destroyAllSessions } from './session-store.ts';
import { findOnlyUser, findUserByEmail, insertUser, toUser, updateUserCredentials } from './user-queries.ts';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** An email or password that cannot be set; the message says why. */
export class CredentialsError extends Error {
  override name = 'CredentialsError';
  constructor(
    readonly field: 'email' | 'password',
    message: string,
  ) {
    super(message);
  }
}

export function checkCredentials(email: string, password: string): void {
  if (!EMAIL.test(email)) throw new CredentialsError('email', `"${email}" is not an email address`);
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new CredentialsError('password', `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
}

export type EnsureUserOutcome = 'created' | 'exists' | 'missing';

/** Creates the user from PROMPTREFINE_EMAIL / PROMPTREFINE_PASSWORD when none exists yet. */
export async function ensureUser(db: Executor, email: string | undefined, password: string | undefined): Promise<EnsureUserOutcome> {
  if (await findOnlyUser(db)) return 'exists';
  if (!email || !password) return 'missing';
  checkCredentials(email, password);
  try {
    await insertUser(db, { email, name: null, passwordHash: await hashPassword(password) });
  } catch (error) {
    // Another process started at the same moment and created it: that is fine.
    if (await findOnlyUser(db)) return 'exists';
    throw error;
  }
  return 'created';
}

/** Sets the single user's email and password (creating the user if needed) and signs every session out. */
export async function setCredentials(db: Executor, email: string, password: string, name?: string): Promise<{ user: User; created: boolean }> {
  checkCredentials(email, password);
  const passwordHash = await hashPassword(password);
  const existing = await findOnlyUser(db);
  const row = existing
    ? await updateUserCredentials(db, existing.id, { email, passwordHash, ...(name !== undefined ? { name } : {}) })
    : await insertUser(db, { email, name: name ?? null, passwordHash });
  await destroyAllSessions(db);
  return { user: toUser(row), created: !existing };
}

/** The same 401 for a wrong email and a wrong password, after the same amount of work. */
export async function authenticate(db: Executor, email: string, password: string): Promise<User> {
  const row = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, row?.passwordHash ?? (await decoyHash()));
  if (!row || !ok) throw new AppError('UNAUTHENTICATED', 'Wrong email or password.');
  return toUser(row);
}
