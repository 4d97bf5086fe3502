import { connectServer } from '../../../src/storage/server-connection.node.js';
import type { TestCluster } from '../../support/postgres-cluster.js';

let counter = 0;

/** A new empty database in the cluster (one per test, so tests of one file do not see each other's rows). */
export async function freshDatabase(cluster: TestCluster): Promise<string> {
  const name = `t${process.pid}_${++counter}`;
  const admin = await connectServer(cluster.admin);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return name;
}
