import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectServer } from '../../src/storage/server-connection.node.js';
import { startTestCluster, type TestCluster } from './postgres-cluster.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
});

describe('throwaway PostgreSQL cluster', () => {
  it('answers over TLS with verify-full and refuses a client that does not trust its CA', async () => {
    const client = await connectServer(cluster.admin);
    const row = (await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0];
    expect(row).toEqual({ ssl: true });
    expect(
      (await client.query("SELECT current_setting('server_version_num')::int AS v")).rows[0].v,
    ).toBeGreaterThan(150000);
    await client.end();
    await expect(connectServer({ ...cluster.admin, sslRootCertFile: undefined })).rejects.toThrow(
      /certificate/i,
    );
    await expect(connectServer({ ...cluster.admin, host: '127.0.0.1' })).rejects.toThrow(
      /altnames|does not match/i,
    );
  });

  it('stops and starts again on the same port with its data kept', async () => {
    const a = await connectServer(cluster.admin);
    await a.query('CREATE TABLE kept (n int)');
    await a.query('INSERT INTO kept VALUES (7)');
    await a.end();
    await cluster.stop();
    await expect(connectServer(cluster.admin)).rejects.toThrow();
    await cluster.start();
    const b = await connectServer(cluster.admin);
    expect((await b.query('SELECT n FROM kept')).rows).toEqual([{ n: 7 }]);
    await b.end();
  });
});
