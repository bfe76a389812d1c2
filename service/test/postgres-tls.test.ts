// The production profile: DATABASE_URL to a PostgreSQL that speaks TLS, on a throwaway cluster of
// the test's own (support/tls-cluster.ts) whose certificate is signed by a CA made for the test.
// sslmode has libpq's meaning: require encrypts without checking the certificate; verify-full
// checks the CA and the host name; a certificate that fails the check stops the start plainly.
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { DatabaseSettingsError, postgresConnection } from '../db/postgres-tls.ts';
import { queryRows } from '../db/raw-query.ts';
import { startService, StartupError } from '../server.ts';
import { ApiClient } from '../testing/api-client.ts';
import { silentLogger } from '../testing/test-app.ts';
import { startTlsCluster, type TlsCluster } from './support/tls-cluster.ts';

const PASSWORD = 'url-password-never-shown';
const CREDENTIALS = { PROMPTREFINE_EMAIL: 'owner@example.com', PROMPTREFINE_PASSWORD: 'a long enough password' };

describe('PostgreSQL over TLS [throwaway cluster]', () => {
  let cluster: TlsCluster | undefined;
  const open: DatabaseHandle[] = [];

  before(async function () {
    this.timeout(180_000);
    cluster = await startTlsCluster();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });
  after(async function () {
    this.timeout(60_000);
    await cluster?.stop();
  });

  const url = (host: string, query: string) => `postgres://postgres:${PASSWORD}@${host}:${cluster?.port}/postgres?${query}`;

  async function connect(databaseUrl: string, caFile?: string): Promise<DatabaseHandle> {
    const handle = await openDatabase({ databaseUrl, ...(caFile ? { caFile } : {}) });
    open.push(handle);
    return handle;
  }

  async function encrypted(handle: DatabaseHandle): Promise<boolean> {
    const [row] = await queryRows<{ ssl: boolean }>(handle.db, sql`select ssl from pg_stat_ssl where pid = pg_backend_pid()`);
    return row?.ssl === true;
  }

  it('sslmode=require connects encrypted without checking the certificate, whatever the host name', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      assert.equal(await encrypted(await connect(url(host, 'sslmode=require'))), true, host);
    }
  });

  it('verify-full with the right CA connects encrypted: sslrootcert in the URL, or PROMPTREFINE_DATABASE_CA_FILE', async () => {
    assert.equal(await encrypted(await connect(url('localhost', `sslmode=verify-full&sslrootcert=${cluster?.caFile}`))), true);
    assert.equal(await encrypted(await connect(url('localhost', 'sslmode=verify-full'), cluster?.caFile)), true);
    // A CA alone means verify-full.
    assert.equal(await encrypted(await connect(`postgres://postgres@localhost:${cluster?.port}/postgres`, cluster?.caFile)), true);
  });

  it('verify-full refuses a certificate of another CA, and the service does not start, saying why', async () => {
    const databaseUrl = url('localhost', `sslmode=verify-full&sslrootcert=${cluster?.otherCaFile}`);
    await assert.rejects((await connect(databaseUrl)).ping(), (error: Error & { cause?: { code?: string } }) => {
      assert.match(String(error.cause?.code ?? (error as { code?: string }).code), /CERT|SIGNATURE|VERIFY/);
      return true;
    });
    await assert.rejects(startService(loadConfig({ PORT: '0', DATABASE_URL: databaseUrl }), { logger: silentLogger() }), (error: Error) => {
      assert.ok(error instanceof StartupError, `a StartupError, not ${error.name}: ${error.message}`);
      assert.match(error.message, /TLS certificate that was not accepted/);
      assert.match(error.message, /localhost:\d+\/postgres/);
      assert.doesNotMatch(error.message, new RegExp(PASSWORD));
      return true;
    });
  });

  it('verify-full refuses a certificate that does not name the host; verify-ca accepts it', async () => {
    const mismatch = url('127.0.0.1', `sslmode=verify-full&sslrootcert=${cluster?.caFile}`);
    await assert.rejects(startService(loadConfig({ PORT: '0', DATABASE_URL: mismatch }), { logger: silentLogger() }), (error: Error) => {
      assert.ok(error instanceof StartupError, `a StartupError, not ${error.name}: ${error.message}`);
      assert.match(error.message, /ERR_TLS_CERT_ALTNAME_INVALID/);
      assert.doesNotMatch(error.message, new RegExp(PASSWORD));
      return true;
    });
    assert.equal(await encrypted(await connect(url('127.0.0.1', `sslmode=verify-ca&sslrootcert=${cluster?.caFile}`))), true);
    await assert.rejects((await connect(url('127.0.0.1', `sslmode=verify-ca&sslrootcert=${cluster?.otherCaFile}`))).ping());
  });

  it('a connection without TLS is refused by this server, and the start says so', async () => {
    await assert.rejects(
      startService(loadConfig({ PORT: '0', DATABASE_URL: url('localhost', 'sslmode=disable') }), { logger: silentLogger() }),
      (error: Error) => {
        assert.ok(error instanceof StartupError, `a StartupError, not ${error.name}: ${error.message}`);
        assert.match(error.message, /refused the connection: .*no encryption.*\(28000\)/);
        return true;
      },
    );
  });

  it('the whole service starts on verify-full, answers /api/health and keeps data', async () => {
    const service = await startService(
      loadConfig({
        PORT: '0',
        ...CREDENTIALS,
        DATABASE_URL: url('localhost', 'sslmode=verify-full'),
        PROMPTREFINE_DATABASE_CA_FILE: cluster?.caFile ?? '',
      }),
      { logger: silentLogger() },
    );
    try {
      const api = new ApiClient(service.url);
      assert.deepEqual((await api.get('/api/health')).body.data, { status: 'ok', database: 'postgres' });
      await api.ok('POST', '/api/auth/signin', { email: CREDENTIALS.PROMPTREFINE_EMAIL, password: CREDENTIALS.PROMPTREFINE_PASSWORD });
      await api.ok('POST', '/api/prompts', { title: 'Over TLS', content: 'encrypted' });
      assert.equal(await encrypted(service.database), true);
    } finally {
      await service.close();
    }
  });
});

describe('TLS settings of DATABASE_URL', () => {
  it('leaves a URL without TLS settings to node-postgres, as it was', () => {
    const plain = 'postgres://u:p@db.example.com:5432/app';
    assert.deepEqual(postgresConnection(plain), { connectionString: plain });
  });

  it('takes the TLS parameters out of the URL and gives them as options', () => {
    const connection = postgresConnection('postgres://u:p@db.example.com/app?sslmode=require&application_name=x');
    assert.equal(connection.connectionString, 'postgres://u:p@db.example.com/app?application_name=x');
    assert.equal(connection.sslMode, 'require');
    assert.equal((connection.ssl as { rejectUnauthorized?: boolean }).rejectUnauthorized, false);
    assert.deepEqual(postgresConnection('postgres://db/app?sslmode=disable').ssl, false);
    const full = postgresConnection('postgres://db/app?sslmode=verify-full&sslrootcert=system');
    assert.deepEqual(full.ssl, {}, 'verify-full with the CAs Node trusts: every check on');
    assert.equal(postgresConnection('postgres://db/app?sslmode=no-verify').sslMode, 'require');
  });

  it('refuses modes that would allow a silent downgrade, and verify-ca without a CA', () => {
    for (const mode of ['prefer', 'allow']) {
      assert.throws(() => postgresConnection(`postgres://db/app?sslmode=${mode}`), (e: Error) => e instanceof DatabaseSettingsError && /not supported/.test(e.message));
    }
    assert.throws(() => postgresConnection('postgres://db/app?sslmode=verify-ca'), /verify-ca needs the CA/);
    assert.throws(() => postgresConnection('postgres://db/app?sslmode=bogus'), /Use one of disable, require, verify-ca, verify-full/);
  });

  it('names a CA file it cannot read, and the service does not start', async () => {
    assert.throws(() => postgresConnection('postgres://db/app?sslmode=verify-full', '/nonexistent/ca.pem'), /Cannot read the CA file in PROMPTREFINE_DATABASE_CA_FILE \/nonexistent\/ca.pem \(ENOENT\)/);
    await assert.rejects(
      startService(loadConfig({ PORT: '0', DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/app?sslmode=verify-full&sslrootcert=/nonexistent/root.crt' }), {
        logger: silentLogger(),
      }),
      (error: Error) => error instanceof StartupError && /sslrootcert \/nonexistent\/root.crt/.test(error.message) && !error.message.includes('secret'),
    );
  });
});
