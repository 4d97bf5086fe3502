import { execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pgConfig, type ServerConnection } from '../../src/storage/server-connection.node.js';
import { hasExited, spawnTracked, stopChild } from './child-processes.js';

/** Debian's PostgreSQL 15 binaries (package `postgresql`, installed by scripts/test-prerequisites.js). */
const binDir = '/usr/lib/postgresql/15/bin';

/** A throwaway PostgreSQL cluster for one test file: TLS with its own CA, private port, private socket folder. */
export interface TestCluster {
  /** Connection settings for the cluster's superuser over TLS (`sslmode=verify-full` against the test CA). */
  admin: ServerConnection;
  /** Same host, port and CA as {@link admin}, as another role. */
  as(user: string, password: string, database?: string): ServerConnection;
  /** The test CA's certificate file. */
  caFile: string;
  /** Stops the server (fast shutdown: open connections are ended) and keeps its data, for {@link start} again. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and data. */
  start(): Promise<void>;
  /** Stops the server and removes the temporary folder. Safe to call more than once. */
  destroy(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Who owns and runs the cluster: `postgres` when the tests run as root (postgres refuses root), else us. */
function clusterUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** A throwaway CA and a server certificate for `localhost` only (so a client naming 127.0.0.1 is refused). */
function makeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const f = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Tonus test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
  );
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
  );
  writeFileSync(f('server.ext'), 'subjectAltName=DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('server.ext'),
    '-out',
    f('server.crt'),
  );
  return { caFile: f('ca.crt'), certFile: f('server.crt'), keyFile: f('server.key') };
}

/**
 * Creates and starts a PostgreSQL 15 cluster in a new temporary folder owned by an unprivileged user
 * (`postgres` when running as root), listening on 127.0.0.1 at a free port with TLS only (a throwaway CA made
 * with openssl), and on a unix socket in the same folder. The server is started with {@link spawnTracked}; a
 * failed start stops it and removes the folder before throwing with the server's log.
 */
export async function startTestCluster(): Promise<TestCluster> {
  const root = mkdtempSync(join(tmpdir(), 'tonus-pg-'));
  const owner = clusterUser();
  const dataDir = join(root, 'data');
  const adminPassword = `admin-${process.pid}-${Date.now()}`;
  let child: ChildProcess | undefined;
  let log = '';
  const port = await freePort();
  const certs = makeCertificates(root);
  if (owner) {
    chownSync(root, owner.uid, owner.gid);
    for (const name of readdirSync(root)) chownSync(join(root, name), owner.uid, owner.gid);
  }
  chmodSync(certs.keyFile, 0o600);
  chmodSync(root, 0o755);
  const pwFile = join(root, 'pwfile');
  writeFileSync(pwFile, adminPassword + '\n', { mode: 0o600 });
  if (owner) chownSync(pwFile, owner.uid, owner.gid);

  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const connection = (user: string, password: string, database = 'postgres'): ServerConnection => ({
    host: 'localhost',
    port,
    user,
    password,
    database,
    sslRootCertFile: certs.caFile,
  });
  const admin = connection('postgres', adminPassword);

  const waitReady = async (): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (!child || hasExited(child)) throw new Error(`PostgreSQL did not start:\n${log}`);
      const client = new pg.Client(pgConfig(admin));
      try {
        await client.connect();
        await client.end();
        return;
      } catch (err) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline)
          throw new Error(`PostgreSQL not ready after 30 s: ${String(err)}\n${log}`, { cause: err });
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const start = async (): Promise<void> => {
    log = '';
    child = spawnTracked(
      join(binDir, 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-k',
        root,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'ssl=on',
        '-c',
        `ssl_cert_file=${certs.certFile}`,
        '-c',
        `ssl_key_file=${certs.keyFile}`,
        '-c',
        'fsync=off',
        '-c',
        'shared_buffers=64MB',
        '-c',
        'max_connections=40',
      ],
      { ...asOwner, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    await waitReady();
  };

  /** Fast shutdown (SIGINT: open sessions are ended, as when an administrator stops the server). */
  const stop = async (): Promise<void> => {
    if (child && !hasExited(child)) child.kill('SIGINT');
    await stopChild(child, 10_000);
  };

  const destroy = async (): Promise<void> => {
    await stop();
    rmSync(root, { recursive: true, force: true });
  };

  try {
    execFileSync(
      join(binDir, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        `--pwfile=${pwFile}`,
        '--auth-local=scram-sha-256',
        '-E',
        'UTF8',
        '-N',
      ],
      { ...asOwner, cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // TLS only over TCP: a plain-text connection is refused by the server itself.
    writeFileSync(
      join(dataDir, 'pg_hba.conf'),
      'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n',
    );
    await start();
  } catch (err) {
    await destroy();
    throw err;
  }

  return {
    admin,
    as: connection,
    caFile: certs.caFile,
    stop,
    start,
    destroy,
  };
}
