import { rmSync } from 'node:fs';
import { createPatient } from '../../src/storage/patients.node.js';
import { runSync } from '../../src/storage/sync-run.node.js';
import { startTestCluster } from '../support/postgres-cluster.js';
import { siteServer, recordSession, workstation } from '../src/storage/sync-fixture.js';
import type { Bench, BenchResult } from './harness.js';

const SESSION_S = 3600;

/**
 * A 1-hour session (8 EMG channels at 250 Hz, 6 IMU channels at 100 Hz) recorded on one workstation, pushed
 * with its raw chunks, then pulled by a second workstation of the same site over loopback (TLS), every chunk
 * checked by size and SHA-256 before it is stored: the time until the office can review it with its
 * signals, against the recording workstation's push of the same session in the same run.
 */
export const bench: Bench = {
  name: 'sync: signals of a 1-hour session pulled by another workstation',
  async run(): Promise<BenchResult[]> {
    const cluster = await startTestCluster();
    const room = workstation();
    const office = workstation();
    try {
      const { site } = await siteServer(cluster, { siteId: 'bench', role: 'bench_signals' });
      const patient = createPatient(room.db, { code: 'B-SIG' });
      recordSession(room.db, patient.id, 1.7e12, SESSION_S);
      let t0 = performance.now();
      const pushed = await runSync(room.db, site);
      const pushS = (performance.now() - t0) / 1000;
      if (pushed.error) throw new Error(pushed.error);
      t0 = performance.now();
      const pulled = await runSync(office.db, site);
      const pullS = (performance.now() - t0) / 1000;
      if (pulled.error) throw new Error(pulled.error);
      const bytes = office.db
        .prepare('SELECT sum(length(data)) + sum(coalesce(length(timestamps), 0)) FROM sample_chunks')
        .pluck()
        .get() as number;
      return [
        {
          name: 'pull of a 1-hour session with its raw signals (TLS, checked)',
          throughput: SESSION_S / pullS,
          unit: 'x real time',
          baselineName: 'its push',
          baselineThroughput: SESSION_S / pushS,
          note: `pull ${pullS.toFixed(1)} s for ${pulled.chunksPulled} pieces, ${(bytes / 1e6).toFixed(0)} MB; push ${pushS.toFixed(1)} s`,
        },
      ];
    } finally {
      room.db.close();
      office.db.close();
      rmSync(room.dir, { recursive: true, force: true });
      rmSync(office.dir, { recursive: true, force: true });
      await cluster.destroy();
    }
  },
};
