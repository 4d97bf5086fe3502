import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/app/paths.js';
import { createTonusApp } from '../../src/app/tonus-app.js';
import { readStream } from '../../src/storage/sample-chunks.node.js';
import { listSessions } from '../../src/storage/sessions.node.js';
import { spawnTracked, stopChild } from './child-processes.js';

/** What one kill of a loaded server lost. */
export interface KillLoss {
  /** Wall time from the first stored sample to the kill, s. */
  elapsedS: number;
  /** Time covered by the stored samples of the demo device's EMG stream, s. */
  storedS: number;
  /** elapsedS − storedS: the samples lost, in seconds of signal. */
  lostS: number;
  /** API requests sent, and answered, while recording. */
  sent: number;
  requests: number;
}

interface Server {
  child: ChildProcess;
  port: number;
  token: string;
}

const cli = join(packageRoot(), 'bin', 'tonus.js');

function startServe(dataDir: string): Promise<Server> {
  const child = spawnTracked(process.execPath, [cli, '--data-dir', dataDir, 'serve'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.resume();
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), token: m[2] ?? '' });
    });
    child.once('exit', (code) => reject(new Error(`tonus serve exited (${code}) before listening: ${out}`)));
  });
}

function call(s: Server, method: string, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        path: `/api/${method}`,
        method: 'POST',
        headers: {
          host: `127.0.0.1:${s.port}`,
          'x-tonus-token': s.token,
          'content-type': 'application/json',
        },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => {
          try {
            const r = JSON.parse(data) as { ok: boolean; value?: unknown; error?: { message: string } };
            if (r.ok) resolve(r.value);
            else reject(new Error(`${method}: ${r.error?.message}`));
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

/**
 * Starts `tonus serve` (the built CLI) on a fresh data folder, records the demo device, floods the server
 * with `concurrency` concurrent `getSessionTraces` and `listSessions` requests without pause, and SIGKILLs
 * it after a random 1–3 s; then opens the data folder as the next start would and measures how much of the
 * recorded signal was lost. Repeats `kills` times (a new folder each time).
 */
export async function killLoadedServer(
  kills: number,
  concurrency = 1000,
  onKill: (k: number, loss: KillLoss) => void = () => undefined,
): Promise<KillLoss[]> {
  const losses: KillLoss[] = [];
  for (let k = 0; k < kills; k++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'tonus-kill-load-'));
    const server = await startServe(dataDir);
    let requests = 0;
    let sent = 0;
    let killedAtMs: number;
    try {
      const patient = (await call(server, 'createPatient', { code: `P-KILL-${k}` })) as { id: number };
      const session = (await call(server, 'startRecording', {
        patientId: patient.id,
        protocol: 'rest',
        deviceId: 'synthetic',
      })) as { id: number };
      let loading = true;
      const load = async (): Promise<void> => {
        while (loading) {
          sent += concurrency;
          const batch = Array.from({ length: concurrency }, (_, i) =>
            (i % 2 === 0
              ? call(server, 'getSessionTraces', {
                  sessionId: session.id,
                  fromS: 0,
                  toS: 30,
                  maxPoints: 2000,
                })
              : call(server, 'listSessions', {})
            ).then(
              () => void requests++,
              () => undefined,
            ),
          );
          await Promise.all(batch);
        }
      };
      const loaded = load();
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 2000));
      killedAtMs = Date.now();
      server.child.kill('SIGKILL');
      loading = false;
      await loaded;
    } finally {
      await stopChild(server.child);
    }
    const app = createTonusApp({ dataDir });
    try {
      const [session] = listSessions(app.db);
      if (!session) throw new Error(`kill ${k + 1}: no session`);
      const emg = session.streams.find((s) => s.id === 'emg');
      if (!emg) throw new Error(`kill ${k + 1}: no EMG stream`);
      const n = readStream(app.db, session.id, emg).data[0]?.length ?? 0;
      const elapsedS = (killedAtMs - session.startTimeMs) / 1000;
      const storedS = n / emg.sampleRateHz;
      const loss: KillLoss = { elapsedS, storedS, lostS: elapsedS - storedS, sent, requests };
      losses.push(loss);
      onKill(k, loss);
    } finally {
      await app.close();
    }
  }
  return losses;
}
