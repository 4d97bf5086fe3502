import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  connectionFromEnvironment,
  pgConfig,
  ServerConnectionError,
} from '../../../src/storage/server-connection.node.js';
import { tempDbFile } from './dose-fixture.js';

describe('server connection settings', () => {
  it("reads libpq's environment variables and pins the CA with host-name checking (verify-full)", () => {
    const ca = tempDbFile().replace(/tonus\.sqlite$/, 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const c = connectionFromEnvironment({
      PGHOST: 'db.clinic.example',
      PGPORT: '6543',
      PGUSER: 'site_north',
      PGDATABASE: 'tonus',
      PGSSLROOTCERT: ca,
    });
    expect(c).toEqual({
      host: 'db.clinic.example',
      port: 6543,
      user: 'site_north',
      database: 'tonus',
      sslRootCertFile: ca,
    });
    const config = pgConfig(c);
    expect(config.password).toBeUndefined();
    expect(config.ssl).toEqual({
      rejectUnauthorized: true,
      servername: 'db.clinic.example',
      ca: expect.stringContaining('BEGIN CERTIFICATE'),
    });
  });

  it('refuses any TLS mode but verify-full, a socket folder, a missing host and an unreadable CA', () => {
    for (const mode of ['disable', 'prefer', 'require', 'verify-ca'])
      expect(() => connectionFromEnvironment({ PGHOST: 'h', PGSSLMODE: mode })).toThrow(
        new ServerConnectionError(`PGSSLMODE=${mode} is refused: Tonus connects with verify-full only.`),
      );
    expect(() => connectionFromEnvironment({ PGHOST: '/var/run/postgresql' })).toThrow(/socket folder/);
    expect(() => connectionFromEnvironment({})).toThrow(/set PGHOST/);
    expect(() => connectionFromEnvironment({ PGHOST: 'h', PGPORT: 'x' })).toThrow(/not a port/);
    expect(() =>
      pgConfig({ host: 'h', port: 1, user: 'u', database: 'd', sslRootCertFile: '/nonexistent/ca' }),
    ).toThrow(/Cannot read the server's CA certificate/);
  });
});
