// A throwaway PostgreSQL cluster that speaks TLS, for the production-profile tests: its own
// folder, port and certificates (a CA made here, a server certificate for "localhost" signed by
// it, and an unrelated CA), started with initdb + pg_ctl and removed by stop(). The machine's
// own cluster is never touched. Missing tools fail loudly, saying how to install them.
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsCluster {
  port: number;
  /** The CA that signed the server's certificate. */
  caFile: string;
  /** A CA that signed nothing here. */
  otherCaFile: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'The TLS tests start a PostgreSQL cluster of their own and need its server tools (initdb, pg_ctl) and openssl. ' +
  'Install them (Debian/Ubuntu: apt-get install postgresql openssl), or point PROMPTREFINE_TEST_PG_BIN at the folder holding initdb.';

function serverBin(): string {
  const given = process.env.PROMPTREFINE_TEST_PG_BIN;
  if (given) {
    if (!existsSync(join(given, 'initdb'))) throw new Error(`No initdb in PROMPTREFINE_TEST_PG_BIN=${given}. ${INSTALL_HINT}`);
    return given;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`No PostgreSQL server tools under ${root}. ${INSTALL_HINT}`);
  return join(root, newest, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(e.code === 'ENOENT' ? `openssl is missing. ${INSTALL_HINT}` : `openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

async function makeCertificates(dir: string): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  await openssl(['req', '-x509', ...ec, ...ca, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=PromptRefine test CA'], dir);
  await openssl(['req', '-x509', ...ec, ...ca, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '2', '-subj', '/CN=PromptRefine test CA'], dir);
  await openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  await openssl(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext'],
    dir,
  );
}

export async function startTlsCluster(): Promise<TlsCluster> {
  const bin = serverBin();
  // initdb refuses to run as root: as root, the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? 'postgres' : userInfo().username;
  const asOwner = (command: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));
  const ids = asRoot ? await run('id', ['-u', owner]).then(async (u) => ({ uid: Number(u.stdout), gid: Number((await run('id', ['-g', owner])).stdout) })) : undefined;

  const root = mkdtempSync(join(tmpdir(), 'promptrefine-tls-'));
  chmodSync(root, 0o755);
  const data = join(root, 'data');
  const socket = join(root, 'socket');
  let started = false;
  const stop = async () => {
    if (started) await asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await makeCertificates(root);
    for (const dir of [data, socket]) {
      mkdirSync(dir, { mode: 0o700 });
      if (ids) chownSync(dir, ids.uid, ids.gid);
    }
    try {
      await asOwner(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions', '-E', 'UTF8']);
    } catch (error) {
      throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? String(error)}. ${INSTALL_HINT}`);
    }
    for (const name of ['server.crt', 'server.key']) {
      copyFileSync(join(root, name), join(data, name));
      chmodSync(join(data, name), 0o600);
      if (ids) chownSync(join(data, name), ids.uid, ids.gid);
    }
    const port = await freePort();
    writeFileSync(
      join(data, 'postgresql.auto.conf'),
      [
        `port = ${port}`,
        "listen_addresses = 'localhost'",
        `unix_socket_directories = '${socket}'`,
        'ssl = on',
        "ssl_cert_file = 'server.crt'",
        "ssl_key_file = 'server.key'",
        // Throwaway data: no need to wait for the disk.
        'fsync = off',
        'max_connections = 30',
      ].join('\n') + '\n',
    );
    // TLS or nothing over TCP, so a connection that works is an encrypted one.
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n');
    if (ids) for (const f of ['postgresql.auto.conf', 'pg_hba.conf']) chownSync(join(data, f), ids.uid, ids.gid);
    try {
      await asOwner(join(bin, 'pg_ctl'), ['-D', data, '-l', join(socket, 'server.log'), '-w', '-t', '120', 'start']);
      started = true;
    } catch (error) {
      started = true; // a half-started server is stopped too
      throw new Error(`pg_ctl start failed: ${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
    return { port, caFile: join(root, 'ca.crt'), otherCaFile: join(root, 'other-ca.crt'), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
