import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { ApiFailure } from '../../../src/shared/result.js';

describe('delete with undo through the API', () => {
  it('deletes a patient with its sessions, lists it with its purge date, undoes it; refuses a recording', async () => {
    const app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-delete-')) });
    try {
      const h = app.handlers;
      const p = await h.createPatient({ code: 'P-014' });
      const session = await h.startRecording({ patientId: p.id, protocol: 'rest', deviceId: 'synthetic' });
      await expect(h.deleteItem({ entity: 'patient', id: p.id })).rejects.toMatchObject({
        code: 'conflict',
        message: 'P-014 is being recorded: stop the recording first.',
      });
      await expect(h.deleteItem({ entity: 'session', id: session.id })).rejects.toBeInstanceOf(ApiFailure);
      await h.stopRecording({});

      const deleted = await h.deleteItem({ entity: 'patient', id: p.id });
      expect(deleted).toMatchObject({
        entity: 'patient',
        id: p.id,
        description: 'Patient P-014 with 1 session',
      });
      expect(deleted.purgeAtMs - deleted.deletedAtMs).toBe(30 * 86_400_000);
      expect(await h.listPatients({})).toEqual([]);
      expect(await h.listSessions({})).toEqual([]);
      expect(await h.listDeleted({})).toEqual([deleted]);

      await h.undoDelete({ entity: 'patient', id: p.id });
      expect((await h.listPatients({})).map((x) => x.code)).toEqual(['P-014']);
      expect((await h.listSessions({})).map((s) => s.id)).toEqual([session.id]);
      await expect(h.undoDelete({ entity: 'patient', id: p.id })).rejects.toMatchObject({
        code: 'not-found',
      });

      const s = await h.deleteItem({ entity: 'session', id: session.id });
      expect(s).toMatchObject({ description: 'Session of P-014', sessionStartMs: session.startTimeMs });
      expect(await h.listSessions({})).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
