import type { ApiHandlers } from '../../shared/api-contract.js';
import type { Session, SessionEndReason, sessionMethods } from '../../shared/api/session-api.js';
import { ApiFailure } from '../../shared/result.js';
import { remoteSignalsWords } from '../../storage/remote-signals.node.js';
import { addMarker, listMarkers } from '../../storage/markers.node.js';
import { getPatient } from '../../storage/patients.node.js';
import { storedSampleCounts } from '../../storage/sample-chunks.node.js';
import {
  createSession,
  deleteSession,
  listSessions,
  setSessionNote,
  setSessionStreams,
} from '../../storage/sessions.node.js';
import type { SessionEnd } from '../../storage/sessions.node.js';
import type { DeviceDescriptor } from '../../devices/driver.js';
import type { AppContext } from '../app-context.js';
import { sessionForUser } from '../session-for-user.js';
import { Recorder } from '../recorder.js';
import { claimSession, releaseSession } from '../session-lock.js';

interface ActiveRecording {
  recorder: Recorder;
  deviceId: string;
  /** Whether this recording started the device stream (and so stops it at the end). */
  ownsStream: boolean;
  stopListening: () => void;
}

/** Ends the recording of each app that is closing (see {@link endRecordingForShutdown}). */
const shutdownHooks = new WeakMap<AppContext, () => void>();

/**
 * Ends the app's recording, if any, as `interrupted` with the reason `shutdown` (samples kept). The app calls
 * this first when it closes, so that stopping the device stream does not read as an ordinary stop.
 */
export function endRecordingForShutdown(ctx: AppContext): void {
  shutdownHooks.get(ctx)?.();
}

/** The reason and words of a stream that ended on its own. */
function streamEnd(state: 'stopped' | 'error', message: string | undefined): SessionEnd {
  return state === 'stopped'
    ? { reason: 'user', detail: 'The device stream was stopped.' }
    : { reason: 'device-lost', detail: message ?? 'The device stopped streaming.' };
}

/**
 * Handlers of the session methods of the contract. One recording at a time per app. A recording ends when
 * `stopRecording` is called (complete), or when its device stream stops (complete) or fails (interrupted),
 * which includes the app closing and a lost device that does not come back. Every device loss during the
 * recording becomes a `gap` marker (a loss still open at the end reaches to the end); samples stored before
 * and after it stay. Devices are found by `ctx.resolveDevice`, as the acquisition finds them. A recording can be
 * paused and resumed (the device keeps streaming, nothing is stored meanwhile; see {@link Recorder}); stopping
 * or losing the stream while paused ends it as usual.
 */
export function sessionService(ctx: AppContext): Pick<ApiHandlers, keyof typeof sessionMethods> {
  let active: ActiveRecording | undefined;

  const requireSession = (sessionId: number): Session => {
    return sessionForUser(ctx.db, sessionId);
  };

  const end = (status: 'complete' | 'interrupted', why: SessionEnd): ActiveRecording | undefined => {
    const a = active;
    if (!a) return undefined;
    active = undefined;
    a.stopListening();
    try {
      const loss = ctx.acquisition.currentLoss();
      if (loss?.deviceId === a.deviceId)
        a.recorder.markDeviceLoss({ ...loss, endMs: Date.now(), reconnected: false });
      a.recorder.stop(status, why);
    } finally {
      releaseSession(ctx.dataDir, a.recorder.sessionId);
    }
    void ctx.analyses.enqueue(a.recorder.sessionId);
    return a;
  };
  shutdownHooks.set(ctx, () => {
    end('interrupted', {
      reason: 'shutdown',
      detail: 'Tonus closed while recording; the samples so far are kept.',
    });
  });

  /** The connected driver's streams and name become the session's (a kind's placeholder never is). */
  /** The connected driver's streams become the session's; the name stays the one the user chose the device by. */
  const adopt = (
    sessionId: number,
    recorder: Recorder,
    connected: DeviceDescriptor,
    deviceName: string,
  ): void => {
    recorder.setStreams(connected.streams);
    setSessionStreams(ctx.db, sessionId, recorder.streamDescriptors, deviceName);
  };

  return {
    listSessions: async (filter) => listSessions(ctx.db, filter),
    getSession: async ({ sessionId }) => {
      const signalsElsewhere = remoteSignalsWords(ctx.db, sessionId);
      return {
        ...requireSession(sessionId),
        storedSamples: storedSampleCounts(ctx.db, sessionId),
        markers: listMarkers(ctx.db, sessionId),
        ...(signalsElsewhere === undefined ? {} : { signalsElsewhere }),
      };
    },

    startRecording: async (input) => {
      if (active)
        throw new ApiFailure(
          'conflict',
          `Session ${active.recorder.sessionId} is already recording; stop it first.`,
        );
      if (!getPatient(ctx.db, input.patientId))
        throw new ApiFailure('not-found', `There is no patient ${input.patientId}.`, 'patientId');
      let entry;
      try {
        entry = ctx.resolveDevice(input.deviceId);
      } catch (err) {
        throw new ApiFailure('invalid-input', err instanceof Error ? err.message : String(err), 'deviceId');
      }
      if (!entry)
        throw new ApiFailure('not-found', `No device with id "${input.deviceId}" is available.`, 'deviceId');
      const streamStatus = ctx.acquisition.getStatus();
      const running =
        streamStatus.state === 'streaming' ||
        streamStatus.state === 'no-data' ||
        streamStatus.state === 'reconnecting';
      if (running && streamStatus.deviceId !== input.deviceId) {
        throw new ApiFailure(
          'conflict',
          `Device "${streamStatus.deviceId}" is streaming; stop it before recording from "${input.deviceId}".`,
          'deviceId',
        );
      }
      const d = entry.descriptor;
      const connected = running ? ctx.acquisition.connectedDescriptor(input.deviceId) : undefined;
      const sessionId = ctx.db
        .transaction(() => {
          const id = createSession(ctx.db, {
            patientId: input.patientId,
            protocol: input.protocol,
            muscle: input.muscle ?? null,
            side: input.side ?? null,
            deviceId: d.id,
            deviceName: d.name,
            origin: 'live',
            startTimeMs: Date.now(),
            streams: connected?.streams ?? d.streams,
            clinical: input.clinical ?? null,
            note: input.note ?? null,
          });
          claimSession(ctx.dataDir, id);
          return id;
        })
        .immediate();
      const recorder = new Recorder({
        db: ctx.db,
        sessionId,
        streams: connected?.streams ?? [],
        source: ctx.acquisition,
        onStatus: (status) => ctx.events.emit('recordingStatus', status),
      });
      recorder.start();
      if (!running) {
        const stopConnected = ctx.acquisition.onConnected((descriptor) =>
          adopt(sessionId, recorder, descriptor, d.name),
        );
        try {
          await ctx.acquisition.start(d.id);
        } catch (err) {
          recorder.stop('interrupted', { reason: 'device-lost', detail: String(err) });
          deleteSession(ctx.db, sessionId);
          releaseSession(ctx.dataDir, sessionId);
          throw err;
        } finally {
          stopConnected();
        }
      }
      const stopGaps = ctx.acquisition.onGap((gap) => {
        if (gap.deviceId === d.id) recorder.markDeviceLoss(gap);
      });
      const stopStatus = ctx.events.on('streamStatus', (s) => {
        if (s.deviceId !== d.id) return;
        if (s.state !== 'stopped' && s.state !== 'error') return;
        try {
          end(s.state === 'stopped' ? 'complete' : 'interrupted', streamEnd(s.state, s.message));
        } catch (err) {
          // The stream has already ended; the next app start marks the session interrupted.
          console.error(`Session ${sessionId} could not be finished: ${String(err)}`);
        }
      });
      const stopListening = (): void => {
        stopGaps();
        stopStatus();
      };
      active = { recorder, deviceId: d.id, ownsStream: !running, stopListening };
      return requireSession(sessionId);
    },

    stopRecording: async ({ reason }) => {
      const why: SessionEndReason = reason ?? 'user';
      const a = end('complete', { reason: why });
      if (!a) throw new ApiFailure('conflict', 'No recording is running.');
      if (a.ownsStream) await ctx.acquisition.stop();
      return requireSession(a.recorder.sessionId);
    },

    pauseRecording: async () => {
      if (!active) throw new ApiFailure('conflict', 'No recording is running.');
      if (!active.recorder.pause())
        throw new ApiFailure('conflict', `Session ${active.recorder.sessionId} is already paused.`);
      return active.recorder.currentStatus();
    },

    resumeRecording: async () => {
      if (!active) throw new ApiFailure('conflict', 'No recording is running.');
      if (!active.recorder.resume())
        throw new ApiFailure('conflict', `Session ${active.recorder.sessionId} is not paused.`);
      return active.recorder.currentStatus();
    },

    addMarker: async ({ sessionId, text, kind, timeMs, durationMs }) => {
      requireSession(sessionId);
      return addMarker(ctx.db, {
        sessionId,
        text,
        kind,
        timeMs: timeMs ?? Date.now(),
        durationMs: durationMs ?? null,
      });
    },

    setSessionNote: async ({ sessionId, note }) => {
      requireSession(sessionId);
      setSessionNote(ctx.db, sessionId, note);
      return requireSession(sessionId);
    },
  };
}
