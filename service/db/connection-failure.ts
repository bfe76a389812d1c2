// Why the service could not connect to PostgreSQL at start, in words that say what to change.
// The URL's password never appears: only its host, port and database are named.
import { causeChain } from '../http/database-errors.ts';

const CERTIFICATE_REFUSED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** A message for a failure to connect, or undefined when `error` is something else. */
export function connectionFailureMessage(error: unknown, url: string): string | undefined {
  const at = `PostgreSQL at ${where(url)}`;
  for (const e of causeChain(error)) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (typeof code === 'string' && CERTIFICATE_REFUSED.has(code)) {
      return (
        `${at} presented a TLS certificate that was not accepted (${code}: ${text}). With sslmode=verify-full the ` +
        'certificate must be signed by the CA given in sslrootcert= (DATABASE_URL) or PROMPTREFINE_DATABASE_CA_FILE, ' +
        'and name the host written in DATABASE_URL; with verify-ca only the CA is checked. See docs/deploy.md.'
      );
    }
    if (text.includes('does not support SSL')) {
      return `${at} does not accept TLS connections, but DATABASE_URL asks for TLS (sslmode). Turn ssl on in the server, or set sslmode=disable on a trusted network.`;
    }
    if (typeof code === 'string' && UNREACHABLE.has(code)) {
      return `Cannot reach ${at} (${code}). Is it running, and are the host and port in DATABASE_URL right?`;
    }
    // Refusals PostgreSQL sends while a connection starts: authentication (28xxx), an unknown database (3D000).
    if (typeof code === 'string' && /^(28...|3D000)$/.test(code)) return `${at} refused the connection: ${text} (${code}).`;
  }
  return undefined;
}
