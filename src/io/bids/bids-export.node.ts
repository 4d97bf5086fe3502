/**
 * Writes stored sessions as an EMG-BIDS dataset (BIDS 1.11.0) with IMU data as BIDS motion:
 * ```
 * dataset_description.json  README  participants.tsv  participants.json
 * sub-<code>/sub-<code>_sessions.tsv
 * sub-<code>/ses-<nn>/sub-<code>_ses-<nn>_scans.tsv
 *   emg/     …_task-<protocol>[_recording-<stream>]_{emg.bdf, emg.json, channels.tsv, events.tsv}
 *   motion/  …_task-<protocol>_tracksys-<stream>_{motion.tsv (no header), motion.json, channels.tsv}
 * ```
 * `<code>` is the patient's pseudonymous code as a BIDS label (`P-0042` → `P0042`); `<nn>` numbers each
 * patient's exported sessions by start time. EMG channels go into BDF+ (the format BIDS recommends), one file
 * per EMG stream; accelerometer and gyroscope channels go into motion TSVs in SI units (m/s², rad/s), with
 * `n/a` where no sample was stored (pauses, losses). Events: markers, protocol steps, pauses, gaps, doses and
 * side effects (onsets in s from the first EMG sample; doses before the session are negative).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Annotation, RecordedStream, Recording } from '../../shared/recording.js';
import type { MarkerKind } from '../../shared/api/session-api.js';
import { parseDoseText } from '../../shared/session-fact-texts.js';
import type { Db } from '../../storage/database.node.js';
import { listMarkers } from '../../storage/markers.node.js';
import { getPatient } from '../../storage/patients.node.js';
import { sessionFactAnnotations } from '../../storage/session-facts.node.js';
import { readSessionRecording, SessionNotFoundError } from '../../storage/session-recording.node.js';
import { getSession } from '../../storage/sessions.node.js';
import { encodeRecording } from '../edf/edf-encoder.js';
import { acqTime, BIDS_VERSION, bidsFileName, bidsLabel, motionUnit, tsv } from './bids-names.js';

export interface BidsExportOptions {
  /** Mains frequency where the sessions were recorded (Settings), for `PowerLineFrequency`. */
  powerLineHz: number | 'n/a';
  /** Tonus's version, for `GeneratedBy` and `SoftwareVersions`. */
  version: string;
}

const isEmg = (s: RecordedStream): boolean => s.descriptor.channels.some((c) => c.kind === 'emg');
const isMotion = (s: RecordedStream): boolean =>
  s.descriptor.channels.some((c) => c.kind === 'accel' || c.kind === 'gyro' || c.kind === 'angle');
const MOTION_TYPE: Record<string, string> = { accel: 'ACCEL', gyro: 'GYRO', angle: 'JNTANG' };

/** `trial_type` of an event from its marker kind or text. */
function trialType(text: string, kind: MarkerKind | undefined): string {
  if (parseDoseText(text) !== undefined) return 'dose';
  if (text.startsWith('Side effect: ')) return 'side_effect';
  if (kind === 'protocol-step') return 'protocol_step';
  return kind ?? 'session_fact';
}

/**
 * Writes `sessionIds` (of any patients; sessions without a patient are refused) as one BIDS dataset into
 * `dir`, which is created. Returns the files written, relative to `dir`. Throws {@link SessionNotFoundError}.
 */
export function writeBidsDataset(
  db: Db,
  sessionIds: readonly number[],
  dir: string,
  o: BidsExportOptions,
): string[] {
  const sessions = sessionIds.map((id) => {
    const s = getSession(db, id);
    if (!s) throw new SessionNotFoundError(id);
    if (s.patientId === null || s.patientCode === null)
      throw new RangeError(`Session ${id} has no patient; BIDS needs a participant for every session.`);
    return s;
  });
  sessions.sort((a, b) => a.startTimeMs - b.startTimeMs);
  const written: string[] = [];
  const write = (rel: string, text: string | Uint8Array): void => {
    const path = join(dir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    written.push(rel);
  };
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

  write(
    'dataset_description.json',
    json({
      Name: 'Tonus spasticity recordings',
      BIDSVersion: BIDS_VERSION,
      DatasetType: 'raw',
      GeneratedBy: [{ Name: 'Tonus', Version: o.version }],
    }),
  );
  write(
    'README',
    'Surface EMG (BDF+) and IMU (BIDS motion) recorded with Tonus for spasticity assessment. Participants are\n' +
      'named by pseudonymous codes. Events hold markers, protocol steps, pauses, baclofen doses and side effects.\n',
  );

  const patients = [...new Map(sessions.map((s) => [s.patientId as number, s])).keys()];
  const subOf = new Map(
    patients.map((id) => [id, bidsLabel(getPatient(db, id)?.code ?? String(id), `patient${id}`)]),
  );
  write(
    'participants.tsv',
    tsv(
      ['participant_id', 'species', 'gmfcs_level', 'affected_side'],
      patients.map((id) => {
        const p = getPatient(db, id);
        return [`sub-${subOf.get(id)}`, 'homo sapiens', p?.gmfcsLevel ?? null, p?.affectedSide ?? null];
      }),
    ),
  );
  write(
    'participants.json',
    json({
      participant_id: {
        Description: 'Pseudonymous patient code as used in Tonus, reduced to letters and digits',
      },
      gmfcs_level: {
        Description: 'Gross Motor Function Classification System level',
        Levels: { 1: 'I', 2: 'II', 3: 'III', 4: 'IV', 5: 'V' },
      },
      affected_side: {
        Description: 'More affected body side',
        Levels: { left: 'left', right: 'right', both: 'both' },
      },
    }),
  );

  for (const patientId of patients) {
    const sub = subOf.get(patientId) as string;
    const own = sessions.filter((s) => s.patientId === patientId);
    const sesRows: string[][] = [];
    own.forEach((session, k) => {
      const ses = String(k + 1).padStart(2, '0');
      sesRows.push([`ses-${ses}`, acqTime(session.startTimeMs)]);
      const task = bidsLabel(session.protocol, 'free');
      const base = `sub-${sub}/ses-${ses}`;
      const stored = readSessionRecording(db, session.id, { cutPauses: true });
      const markerKinds = new Map(listMarkers(db, session.id).map((m) => [m.text, m.kind]));
      const facts = sessionFactAnnotations(db, session.id, stored.annotations);
      const annotations = [...facts, ...stored.annotations];
      const emgStreams = stored.streams.filter(isEmg);
      const motionStreams = stored.streams.filter((s) => !isEmg(s) && isMotion(s));
      const scans: string[][] = [];
      for (const stream of emgStreams) {
        const e = {
          sub,
          ses,
          task,
          ...(emgStreams.length > 1 ? { recording: bidsLabel(stream.descriptor.id, 'emg') } : {}),
        };
        const rec: Recording = { ...stored, streams: [stream], annotations };
        const bdf = bidsFileName(e, 'emg', '.bdf');
        const chunks = encodeRecording(rec, 'bdf', { annotateGaps: false });
        write(`${base}/emg/${bdf}`, Buffer.concat(chunks));
        scans.push([`emg/${bdf}`, acqTime(stored.startTimeMs)]);
        const n = stream.data[0]?.length ?? 0;
        const muscle = [session.side, session.muscle].filter((x) => x !== null).join(' ');
        const emgCount = stream.descriptor.channels.filter((c) => c.kind === 'emg').length;
        write(
          `${base}/emg/${bidsFileName(e, 'emg', '.json')}`,
          json({
            TaskName: task,
            TaskDescription: `Tonus protocol "${session.protocol}"`,
            SamplingFrequency: stream.descriptor.sampleRateHz,
            PowerLineFrequency: o.powerLineHz,
            RecordingType: 'continuous',
            RecordingDuration: n / stream.descriptor.sampleRateHz,
            SoftwareFilters: 'n/a',
            HardwareFilters: 'n/a',
            EMGChannelCount: emgCount,
            EMGPlacementScheme: 'Other',
            EMGPlacementSchemeDescription: `Bipolar surface electrodes over the ${muscle || 'recorded muscle'}, placed by the clinician`,
            EMGReference: 'bipolar',
            Manufacturer: session.deviceName,
            SoftwareVersions: `Tonus ${o.version}`,
          }),
        );
        write(
          `${base}/emg/${bidsFileName(e, 'channels', '.tsv')}`,
          tsv(
            ['name', 'type', 'units', 'reference', 'target_muscle', 'sampling_frequency', 'status'],
            stream.descriptor.channels.map((c) => [
              c.label,
              c.kind === 'emg' ? 'EMG' : 'MISC',
              c.unit === 'none' ? 'n/a' : c.unit,
              c.kind === 'emg' ? 'bipolar' : 'n/a',
              c.kind === 'emg' ? muscle || null : null,
              stream.descriptor.sampleRateHz,
              'good',
            ]),
          ),
        );
        write(`${base}/emg/${bidsFileName(e, 'events', '.tsv')}`, eventsTsv(annotations, markerKinds));
      }
      for (const stream of motionStreams) {
        const e = { sub, ses, task, tracksys: bidsLabel(stream.descriptor.id, 'imu') };
        const rate = stream.descriptor.sampleRateHz;
        const units = stream.descriptor.channels.map((c) => motionUnit(c.unit));
        const rows = motionRows(
          stream,
          stored.startTimeMs,
          units.map((u) => u.factor),
        );
        const motion = bidsFileName(e, 'motion', '.tsv');
        write(`${base}/motion/${motion}`, rows);
        scans.push([`motion/${motion}`, acqTime(stored.startTimeMs)]);
        const count = (kind: string): number =>
          stream.descriptor.channels.filter((c) => c.kind === kind).length;
        write(
          `${base}/motion/${bidsFileName(e, 'motion', '.json')}`,
          json({
            TaskName: task,
            SamplingFrequency: rate,
            SamplingFrequencyEffective: 'n/a',
            TrackingSystemName: stream.descriptor.label,
            MotionChannelCount: stream.descriptor.channels.length,
            ACCELChannelCount: count('accel'),
            GYROChannelCount: count('gyro'),
            JNTANGChannelCount: count('angle'),
            TrackedPointsCount: 1,
            MissingValues: 'n/a',
            Manufacturer: session.deviceName,
            SoftwareVersions: `Tonus ${o.version}`,
          }),
        );
        const axis = (label: string): string => /([XYZ])\b/i.exec(label)?.[1]?.toLowerCase() ?? 'n/a';
        const point = bidsLabel(`${session.side ?? ''} ${session.muscle ?? 'sensor'}`, 'sensor');
        write(
          `${base}/motion/${bidsFileName(e, 'channels', '.tsv')}`,
          tsv(
            ['name', 'component', 'type', 'tracked_point', 'units', 'sampling_frequency'],
            stream.descriptor.channels.map((c, i) => [
              c.label,
              axis(c.label),
              MOTION_TYPE[c.kind] ?? 'MISC',
              point,
              units[i]?.units ?? 'n/a',
              rate,
            ]),
          ),
        );
      }
      write(`${base}/sub-${sub}_ses-${ses}_scans.tsv`, tsv(['filename', 'acq_time'], scans));
    });
    write(`sub-${sub}/sub-${sub}_sessions.tsv`, tsv(['session_id', 'acq_time'], sesRows));
  }
  return written;
}

/** `_events.tsv`: onset, duration, trial_type, value (the annotation text). */
function eventsTsv(annotations: readonly Annotation[], kinds: ReadonlyMap<string, MarkerKind>): string {
  const rows = [...annotations]
    .sort((a, b) => a.onsetS - b.onsetS)
    .map((a) => [
      a.onsetS.toFixed(4),
      (a.durationS ?? 0).toFixed(4),
      trialType(a.text, kinds.get(a.text)),
      a.text,
    ]);
  return tsv(['onset', 'duration', 'trial_type', 'value'], rows);
}

/** Motion rows on the nominal grid from the start, no header; `n/a` where no sample was stored. */
function motionRows(stream: RecordedStream, startTimeMs: number, factors: readonly number[]): string {
  const n = stream.data[0]?.length ?? 0;
  const rate = stream.descriptor.sampleRateHz;
  const ts = stream.timestampsMs;
  const last =
    ts === undefined ? n - 1 : Math.round((((ts[n - 1] ?? startTimeMs) - startTimeMs) * rate) / 1000);
  const lines: string[] = [];
  let j = 0;
  for (let k = 0; k <= last && n > 0; k++) {
    const at = ts === undefined ? k : Math.round((((ts[j] ?? Infinity) - startTimeMs) * rate) / 1000);
    if (at === k) {
      lines.push(
        stream.data.map((ch, c) => Number(((ch[j] ?? 0) * (factors[c] ?? 1)).toPrecision(7))).join('\t'),
      );
      j++;
    } else lines.push(stream.data.map(() => 'n/a').join('\t'));
  }
  return lines.join('\n') + '\n';
}
