import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Where and how to reach the clinic or study PostgreSQL server. TLS is always `verify-full`: the server's
 * certificate must chain to `sslRootCertFile` (or the system CAs when absent) and name `host`.
 */
export interface ServerConnection {
  host: string;
  port: number;
  user: string;
  database: string;
  /** Absent: node-postgres reads it from `PGPASSWORD` or the `.pgpass` file (`PGPASSFILE`), never from us. */
  password?: string;
  /** PEM file of the CA that signed the server's certificate; absent: the system's trusted CAs. */
  sslRootCertFile?: string;
}

/** A connection setting that cannot be used, in words. */
export class ServerConnectionError extends Error {}

/**
 * The connection from libpq's environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`,
 * `PGSSLROOTCERT`, `PGSSLMODE`), so the CLI never takes a password on its command line: the password comes
 * from `PGPASSWORD` or `~/.pgpass`. Refuses any `PGSSLMODE` but `verify-full`, and a host given as a socket
 * folder (TLS is required).
 */
export function connectionFromEnvironment(env: NodeJS.ProcessEnv = process.env): ServerConnection {
  const host = env.PGHOST;
  if (!host) throw new ServerConnectionError('No server named: set PGHOST (and PGUSER, PGDATABASE) first.');
  if (host.startsWith('/'))
    throw new ServerConnectionError(
      'PGHOST is a socket folder; Tonus connects over TLS to a host name only.',
    );
  const mode = env.PGSSLMODE ?? 'verify-full';
  if (mode !== 'verify-full')
    throw new ServerConnectionError(`PGSSLMODE=${mode} is refused: Tonus connects with verify-full only.`);
  const port = Number(env.PGPORT ?? 5432);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new ServerConnectionError(`PGPORT=${env.PGPORT} is not a port number.`);
  const user = env.PGUSER ?? env.USER ?? 'postgres';
  const defaultRoot = join(homedir(), '.postgresql', 'root.crt');
  return {
    host,
    port,
    user,
    database: env.PGDATABASE ?? user,
    ...(env.PGPASSWORD ? { password: env.PGPASSWORD } : {}),
    sslRootCertFile: env.PGSSLROOTCERT ?? defaultRoot,
  };
}

/** 64-bit integers (counts, change numbers, sample numbers) as JavaScript numbers: all stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** node-postgres settings for `c`: TLS with the CA pinned and the host name checked (verify-full). */
export function pgConfig(c: ServerConnection): pg.ClientConfig {
  let ca: string | undefined;
  if (c.sslRootCertFile) {
    try {
      ca = readFileSync(c.sslRootCertFile, 'utf8');
    } catch {
      throw new ServerConnectionError(`Cannot read the server's CA certificate ${c.sslRootCertFile}.`);
    }
  }
  return {
    host: c.host,
    port: c.port,
    user: c.user,
    database: c.database,
    ...(c.password !== undefined ? { password: c.password } : {}),
    ssl: { rejectUnauthorized: true, servername: c.host, ...(ca ? { ca } : {}) },
    connectionTimeoutMillis: 10_000,
    types,
    application_name: 'tonus',
  };
}

/** A connected client; the caller ends it. */
export async function connectServer(c: ServerConnection): Promise<pg.Client> {
  const client = new pg.Client(pgConfig(c));
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
