import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import type { SessionDetail } from '../../../src/shared/api/session-api.js';
import type { SignalTrace } from '../../../src/shared/api/signal-api.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import type { Db } from '../../../src/storage/database.node.js';
import { remoteSignalsWords } from '../../../src/storage/remote-signals.node.js';
import { connectServer } from '../../../src/storage/server-connection.node.js';
import { runSync, syncStatus } from '../../../src/storage/sync-run.node.js';
import { runCliCaptured } from '../../support/cli-capture.js';
import { startTestCluster, type TestCluster } from '../../support/postgres-cluster.js';
import { localIdOf, siteServer, syncOk, uuidOf, workstation } from '../storage/sync-fixture.js';

let cluster: TestCluster;
const apps: TonusApp[] = [];
const stores: Db[] = [];
const clients: pg.Client[] = [];
beforeAll(async () => {
  cluster = await startTestCluster();
}, 60_000);
afterAll(async () => {
  for (const a of apps) await a.close().catch(() => undefined);
  for (const db of stores) db.close();
  for (const c of clients) await c.end().catch(() => undefined);
  await cluster?.destroy();
});

type Reply = { ok: boolean; value?: unknown; error?: { code: string; message: string } };
async function ok<T>(p: Promise<Reply>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error?.message);
  return r.value as T;
}

/** A workstation running the app on its own (encrypted) data folder. */
function app(): TonusApp {
  const a = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-ws-app-')) });
  apps.push(a);
  return a;
}

/** Records (imports) the demo passive-stretch file on `room` and waits for its analysis. */
async function recordInTreatmentRoom(room: TonusApp): Promise<number> {
  const s = await ok<{ id: number }>(
    dispatch(room.handlers, 'importRecordingFile', {
      path: join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'),
      protocol: 'passive-stretch-fast',
    }),
  );
  await room.analyses.idle();
  return s.id;
}

const chunks = (db: Db, id: number): unknown[] =>
  db
    .prepare(
      'SELECT stream_id, first_seq, sample_count, channel_count, first_time_ms, last_time_ms, data, timestamps FROM sample_chunks WHERE session_id = ? ORDER BY stream_id, first_seq',
    )
    .all(id);

/** The traces around the first stretch of a session's analysis, as the review's event chart asks for them. */
async function firstStretchTraces(a: TonusApp, sessionId: number): Promise<Reply> {
  const analysis = await ok<{ events: { kind: string; startS: number; endS: number | null }[] }>(
    dispatch(a.handlers, 'getSessionAnalysis', { sessionId }),
  );
  const stretch = analysis.events.find((e) => e.kind === 'stretch')!;
  return dispatch(a.handlers, 'getSessionTraces', {
    sessionId,
    fromS: stretch.startS - 0.5,
    toS: (stretch.endS ?? stretch.startS) + 0.5,
    maxPoints: 400,
  });
}

describe('reviewing on the office desktop a session recorded in the treatment room', () => {
  it('opens with its signals when the site syncs raw data; a damaged piece is refused and fetched again', async () => {
    const { site, admin: adminConnection } = await siteServer(cluster, { siteId: 'raw', role: 'rev_raw' });
    const room = app();
    const office = app();
    const recorded = await recordInTreatmentRoom(room);
    await syncOk(room.db, site, false);
    const pulled = await syncOk(office.db, site, false);
    const uuid = uuidOf(room.db, 'sessions', recorded);
    const here = localIdOf(office.db, 'sessions', uuid);
    const total = chunks(room.db, recorded).length;
    expect(total).toBeGreaterThan(10);
    expect(pulled.chunksPulled).toBe(total);
    expect(chunks(office.db, here)).toEqual(chunks(room.db, recorded));

    const detail = await ok<SessionDetail>(dispatch(office.handlers, 'getSession', { sessionId: here }));
    expect(detail.signalsElsewhere).toBeUndefined();
    expect(detail.storedSamples).toEqual(
      (await ok<SessionDetail>(dispatch(room.handlers, 'getSession', { sessionId: recorded }))).storedSamples,
    );
    const inOffice = await firstStretchTraces(office, here);
    const inRoom = await firstStretchTraces(room, recorded);
    expect(inOffice.ok).toBe(true);
    expect((inOffice.value as { traces: SignalTrace[] }).traces.map((t) => t.id)).toEqual([
      'angle',
      'velocity',
      'envelope',
    ]);
    expect(inOffice.value).toEqual(inRoom.value);
    expect((await syncOk(office.db, site, false)).chunksPulled).toBe(0);
    expect(syncStatus(office.db).sessionsWithoutSignals).toBe(0);

    // A piece damaged on the server (the administrator bypasses the immutability trigger) is refused.
    const admin = await connectServer(adminConnection);
    clients.push(admin);
    const first = chunks(room.db, recorded)[0] as { stream_id: string; data: Buffer };
    /** Rewrites the data of the session's first piece on the server, bypassing its immutability trigger. */
    const rewriteFirstPiece = async (data: Buffer) => {
      await admin.query('ALTER TABLE tonus.sample_chunks DISABLE TRIGGER sample_chunks_immutable');
      await admin.query(
        'UPDATE tonus.sample_chunks SET data = $2 WHERE session_uuid = $1 AND stream_id = $3 AND first_seq = 0',
        [uuid, data, first.stream_id],
      );
      await admin.query('ALTER TABLE tonus.sample_chunks ENABLE TRIGGER sample_chunks_immutable');
    };
    const damaged = Buffer.from(first.data);
    damaged[8] = damaged[8]! ^ 0xff;
    await rewriteFirstPiece(damaged);
    const late = workstation().db;
    stores.push(late);
    const broken = await runSync(late, site);
    expect(broken.error).toMatch(
      /^The sync with .* failed: 1 piece of the signals arrived damaged and was not stored \(stream \S+ from sample 0: its content differs from what the recording workstation sent \(checksum\)\); it is downloaded again at the next sync\. Nothing recorded here is lost/,
    );
    expect(broken.chunksPulled).toBe(total - 1);
    const lateId = localIdOf(late, 'sessions', uuid);
    expect(remoteSignalsWords(late, lateId)).toBe(
      `Only part of the signals of this session is on this computer (${total - 1} of ${total} pieces); the rest arrive with the next sync.`,
    );
    expect(syncStatus(late)).toMatchObject({ sessionsWithoutSignals: 1, lastError: broken.error });

    // Repaired on the server: the next sync fetches only the missing piece, and the review is whole.
    await rewriteFirstPiece(first.data);
    expect((await syncOk(late, site, false)).chunksPulled).toBe(1);
    expect(chunks(late, lateId)).toEqual(chunks(room.db, recorded));
    expect(remoteSignalsWords(late, lateId)).toBeUndefined();
    expect(syncStatus(late).sessionsWithoutSignals).toBe(0);
  });

  it('says in words that the signals are on the treatment-room computer when the site does not sync raw data', async () => {
    const { site } = await siteServer(cluster, { siteId: 'lean', role: 'rev_lean', syncChunks: false });
    const room = app();
    const office = app();
    const recorded = await recordInTreatmentRoom(room);
    await syncOk(room.db, site, false);
    expect((await syncOk(office.db, site, false)).chunksPulled).toBe(0);
    const here = localIdOf(office.db, 'sessions', uuidOf(room.db, 'sessions', recorded));
    const words =
      'The signals of this session are on the workstation that recorded it: this site does not sync raw signals to the clinic server, so only its results, markers and dose context are here.';
    const detail = await ok<SessionDetail>(dispatch(office.handlers, 'getSession', { sessionId: here }));
    expect(detail.signalsElsewhere).toBe(words);
    const traces = await firstStretchTraces(office, here);
    expect(traces).toEqual({ ok: false, error: { code: 'not-found', message: words, where: 'sessionId' } });
    expect(syncStatus(office.db).sessionsWithoutSignals).toBe(1);
    // Analysing it again here would analyse no signal: refused in words, the stored analysis stays.
    const before = await ok<{ id: number }>(
      dispatch(office.handlers, 'getSessionAnalysis', { sessionId: here }),
    );
    expect(await dispatch(office.handlers, 'analyzeSession', { sessionId: here })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: `This session cannot be analysed here: t${words.slice(1)} Its stored analysis is the one shown.`,
        where: 'sessionId',
      },
    });
    expect(
      await ok<{ id: number }>(dispatch(office.handlers, 'getSessionAnalysis', { sessionId: here })),
    ).toEqual(before);
    // The treatment room itself has its signals and says nothing.
    const own = await ok<SessionDetail>(dispatch(room.handlers, 'getSession', { sessionId: recorded }));
    expect(own.signalsElsewhere).toBeUndefined();
    // `tonus show` on the office's folder says it too.
    await office.close();
    const shown = await runCliCaptured(['--data-dir', office.dataDir, 'show', String(here)]);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`Signals   ${words}\n`);
  });
});
