import { join } from 'node:path';
import { createTonusApp } from '../../src/app/tonus-app.js';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/api-contract.js';
import { dispatch } from '../../src/shared/dispatch.js';
import { SEEDED_PATIENT, seedTrends } from './seed-trends.js';

/** The demo recordings of fixtures/ imported for the seeded patient, with what they were recorded as. */
export const SEEDED_RECORDINGS = [
  { file: 'demo-passive-stretch.bdf', protocol: 'passive-stretch-fast', muscle: 'gastrocnemius' },
  { file: 'demo-pendulum.bdf', protocol: 'pendulum', muscle: 'rectus femoris' },
  { file: 'demo-clonus.bdf', protocol: 'passive-stretch-fast', muscle: 'soleus' },
  { file: 'demo-rest.bdf', protocol: 'rest', muscle: 'gastrocnemius' },
] as const;

/** The note stored with the seeded passive-stretch recording. */
export const SEEDED_NOTE = 'Calm and cooperative; splint removed 10 min before.';

/**
 * A clinic's data as a visit finds it: the trends seed (patient, regimens, doses, 20 sessions of indicators;
 * see seed-trends.ts) plus the demo recordings imported for the same patient and analysed by the app itself,
 * so every kind of analysis result (stretches, pendulum drops, clonus, EMG bursts, per-channel EMG) is stored.
 */
export async function seedVisit(dataDir: string): Promise<void> {
  await seedTrends(dataDir);
  const app = createTonusApp({ dataDir });
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const r = await dispatch(app.handlers, method, input);
    if (!r.ok) throw new Error(`seeding ${method} failed: ${r.error.message} (${r.error.where ?? ''})`);
    return r.value as MethodOutput<M>;
  };
  try {
    const [patient] = (await call('listPatients', {})).filter((p) => p.code === SEEDED_PATIENT);
    if (!patient) throw new Error(`the trends seed has no patient ${SEEDED_PATIENT}`);
    for (const r of SEEDED_RECORDINGS) {
      const session = await call('importRecordingFile', {
        path: join('fixtures', r.file),
        patientId: patient.id,
        protocol: r.protocol,
        muscle: r.muscle,
        side: 'left',
      });
      if (r.file === 'demo-passive-stretch.bdf')
        await call('setSessionNote', { sessionId: session.id, note: SEEDED_NOTE });
    }
    await app.analyses.idle();
  } finally {
    await app.close();
  }
}
