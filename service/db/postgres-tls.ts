// TLS to PostgreSQL, with libpq's meaning of `sslmode` (node-postgres 8 treats require and
// verify-ca as verify-full, and warns that this will change; here they mean what they mean in
// psql and in every managed PostgreSQL's documentation):
//   disable      no TLS;
//   require      encrypted; the certificate is not checked (with a CA given: as verify-ca);
//   verify-ca    encrypted; the certificate must be signed by the CA;
//   verify-full  encrypted; signed by the CA, and naming the host of the URL.
// The CA is `sslrootcert=<file>` in the URL, else the file in PROMPTREFINE_DATABASE_CA_FILE, else
// (verify-full only) the public CAs Node trusts; `sslrootcert=system` asks for the latter.
// `sslcert`/`sslkey` give a client certificate; node-postgres's `no-verify` is read as require.
// prefer and allow (TLS only when the server offers it) are refused: node-postgres cannot fall
// back, and a silent downgrade is what they would allow. Without sslmode, a CA makes it verify-full.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

export class DatabaseSettingsError extends Error {
  override name = 'DatabaseSettingsError';
}

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface PostgresConnection {
  /** The URL without its TLS parameters, which `ssl` carries instead. */
  connectionString: string;
  /** Absent: node-postgres's own reading of the URL (no TLS unless `ssl=true`). */
  ssl?: false | ConnectionOptions;
  sslMode?: SslMode;
}

const TLS_PARAMETERS = ['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat'];

function readPemFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new DatabaseSettingsError(`Cannot read the ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
}

function modeOf(given: string | null, sslParam: string | null): SslMode {
  if (given === null) return sslParam === '0' || sslParam === 'false' ? 'disable' : 'verify-full';
  // node-postgres's name for require.
  if (given === 'no-verify') return 'require';
  if ((SSL_MODES as readonly string[]).includes(given)) return given as SslMode;
  const hint = given === 'prefer' || given === 'allow' ? ' (TLS only when the server offers it lets anyone on the path turn it off)' : '';
  throw new DatabaseSettingsError(`sslmode=${given} is not supported${hint}. Use one of ${SSL_MODES.join(', ')}.`);
}

export function postgresConnection(url: string, caFile?: string): PostgresConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Forms the URL class does not read (a socket path): node-postgres reads them as they are.
    return { connectionString: url };
  }
  const params = parsed.searchParams;
  const [given, rootCert, clientCert, clientKey, sslParam] = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl'].map((n) => params.get(n));
  if (given === null && rootCert === null && !caFile) return { connectionString: url };
  const sslMode = modeOf(given ?? null, sslParam ?? null);
  for (const name of TLS_PARAMETERS) params.delete(name);
  const connectionString = parsed.toString();
  if (sslMode === 'disable') return { connectionString, ssl: false, sslMode };

  const ssl: ConnectionOptions = {};
  if (rootCert && rootCert !== 'system') ssl.ca = readPemFile(rootCert, 'CA file in sslrootcert');
  else if (!rootCert && caFile) ssl.ca = readPemFile(caFile, 'CA file in PROMPTREFINE_DATABASE_CA_FILE');
  if (clientCert) ssl.cert = readPemFile(clientCert, 'client certificate in sslcert');
  if (clientKey) ssl.key = readPemFile(clientKey, 'client key in sslkey');

  if (sslMode === 'verify-ca' && !ssl.ca) {
    throw new DatabaseSettingsError('sslmode=verify-ca needs the CA: sslrootcert=<file> in DATABASE_URL, or PROMPTREFINE_DATABASE_CA_FILE.');
  }
  if (sslMode === 'require' && !ssl.ca) ssl.rejectUnauthorized = false;
  // require with a CA, and verify-ca: the chain is checked, the name is not.
  if (sslMode === 'require' || sslMode === 'verify-ca') ssl.checkServerIdentity = () => undefined;
  return { connectionString, ssl, sslMode };
}
