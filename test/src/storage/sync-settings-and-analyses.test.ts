import { describe, expect, it } from 'vitest';
import { latestAnalysis, listAnalyses, saveAnalysis } from '../../../src/storage/analyses.node.js';
import { DoseRepository } from '../../../src/storage/dose-repository.node.js';
import { createPatient } from '../../../src/storage/patients.node.js';
import { getSession, setSessionNote } from '../../../src/storage/sessions.node.js';
import {
  clinic,
  clusterForFile,
  localIdOf,
  recordSession,
  serverCount,
  syncOk,
  uuidOf,
} from './sync-fixture.js';

const file = clusterForFile();

const pk = { ageGroup: 'child', tmaxH: 1, timeZone: 'Europe/Berlin', absoluteMode: false } as const;

/** An analysis of `n` stretches, as the session analysis stores one. */
const analysis = (version: string, n: number) => ({
  algorithmVersion: version,
  params: { hpHz: 20 },
  summary: { stretches: n },
  events: Array.from({ length: n }, (_, i) => ({
    kind: 'stretch',
    index: i,
    startS: 1 + i * 2.5,
    endS: 2 + i * 2.5,
    values: { peakVelocityDegS: 100 + i, catch: i % 2 === 0 },
  })),
});

describe('sync of PK settings, analyses with their events, and why a session ended', () => {
  it('brings a session to the other workstation with its analysis events and end reason, both ways', async () => {
    const { site, admin, ws1, ws2 } = await clinic(file.cluster, 'parts_clinic_a', file.keep);
    const p = createPatient(ws1, { code: 'P-AN' });
    const s = recordSession(ws1, p.id, 1.7e12, 4, {
      reason: 'device-lost',
      detail: 'The sensor stopped answering.',
    });
    saveAnalysis(ws1, s, analysis('2.1', 1200));
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    const uuid = uuidOf(ws1, 'sessions', s);
    const s2 = localIdOf(ws2, 'sessions', uuid);
    expect(getSession(ws2, s2)).toMatchObject({
      endReason: 'device-lost',
      endDetail: 'The sensor stopped answering.',
    });
    const strip = (a: ReturnType<typeof latestAnalysis>) => a && { ...a, id: 0, sessionId: 0 };
    expect(strip(latestAnalysis(ws2, s2))).toEqual(strip(latestAnalysis(ws1, s)));
    expect(latestAnalysis(ws2, s2)!.events).toHaveLength(1200);

    // The office analyses the pulled session again; the treatment room, which recorded it, gets that too.
    saveAnalysis(ws2, s2, analysis('2.2', 3));
    await syncOk(ws2, site);
    await syncOk(ws1, site);
    expect(listAnalyses(ws1, s).map((a) => [a.algorithmVersion, a.events.length])).toEqual(
      listAnalyses(ws2, s2).map((a) => [a.algorithmVersion, a.events.length]),
    );
    expect(listAnalyses(ws1, s)).toHaveLength(2);
    expect(await serverCount(admin, 'analysis_events')).toBe(1203);

    // Idempotent.
    expect((await syncOk(ws1, site)).pushed).toBe(0);
    expect((await syncOk(ws2, site)).pushed).toBe(0);
    expect(await serverCount(admin, 'analysis_events')).toBe(1203);
    expect(ws1.prepare('SELECT count(*) FROM analysis_events').pluck().get()).toBe(1203);
  });

  it('settles PK settings edited on both workstations offline by the later edit, and says whose dose context is stale', async () => {
    const { site, admin, ws1, ws2 } = await clinic(file.cluster, 'parts_clinic_b', file.keep);
    const p1 = createPatient(ws1, { code: 'P-PK' });
    new DoseRepository(ws1).setPkSettings({ patientId: p1.id, ...pk, halfLifeH: 4 });
    await syncOk(ws1, site);
    const first = await syncOk(ws2, site);
    const p2 = localIdOf(ws2, 'patients', uuidOf(ws1, 'patients', p1.id));
    expect(new DoseRepository(ws2).pkSettings(p2)).toMatchObject({ halfLifeH: 4, timeZone: 'Europe/Berlin' });
    expect(first.doseLogPatients).toEqual([p2]);

    new DoseRepository(ws1).setPkSettings({ patientId: p1.id, ...pk, halfLifeH: 5 });
    await new Promise((r) => setTimeout(r, 5));
    new DoseRepository(ws2).setPkSettings({ patientId: p2, ...pk, halfLifeH: 6, timeZone: 'Europe/Oslo' });
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    const last = await syncOk(ws1, site);
    expect(last.doseLogPatients).toEqual([p1.id]);
    for (const [db, id] of [
      [ws1, p1.id],
      [ws2, p2],
    ] as const)
      expect(new DoseRepository(db).pkSettings(id)).toMatchObject({ halfLifeH: 6, timeZone: 'Europe/Oslo' });
    expect((await admin.query('SELECT half_life_h, time_zone FROM tonus.patient_pk_settings')).rows).toEqual([
      { half_life_h: 6, time_zone: 'Europe/Oslo' },
    ]);
    expect((await syncOk(ws2, site)).pushed).toBe(0);
  });

  it('settles a session note edited after recording on both workstations by the later edit', async () => {
    const { site, admin, ws1, ws2 } = await clinic(file.cluster, 'parts_clinic_c', file.keep);
    const p = createPatient(ws1, { code: 'P-NOTE' });
    const s1 = recordSession(ws1, p.id, 1.7e12, 2);
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    const s2 = localIdOf(ws2, 'sessions', uuidOf(ws1, 'sessions', s1));
    expect(setSessionNote(ws2, s2, 'calm, cooperative')).toBe(true);
    await syncOk(ws2, site);
    await syncOk(ws1, site);
    expect(getSession(ws1, s1)?.note).toBe('calm, cooperative');

    // Both offline: the treatment room edits, then the office edits later; the office's wins on both.
    setSessionNote(ws1, s1, 'tired after school');
    await new Promise((r) => setTimeout(r, 5));
    setSessionNote(ws2, s2, 'tired; repeat next week');
    await syncOk(ws2, site);
    await syncOk(ws1, site);
    expect(getSession(ws1, s1)?.note).toBe('tired; repeat next week');
    expect(getSession(ws2, s2)?.note).toBe('tired; repeat next week');
    expect((await admin.query('SELECT note FROM tonus.session_notes')).rows).toEqual([
      { note: 'tired; repeat next week' },
    ]);
    // The session row itself stays as it was stored.
    expect((await admin.query('SELECT note FROM tonus.sessions')).rows).toEqual([{ note: null }]);
    expect((await syncOk(ws1, site)).pushed).toBe(0);
    expect((await syncOk(ws2, site)).pushed).toBe(0);
  });
});
