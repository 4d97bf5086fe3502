import type { z } from 'zod';
import { settingsMethods } from './api/settings-api.js';
import { fileMethods } from './api/file-api.js';
import { analysisMethods, AnalysisStatusSchema } from './api/analysis-api.js';
import { signalMethods } from './api/signal-api.js';
import { replayMethods } from './api/replay-api.js';
import { downloadMethods } from './api/download-api.js';
import { dosingMethods } from './api/dosing-api.js';
import { patientMethods } from './api/patient-api.js';
import { RecordingStatusSchema, sessionMethods } from './api/session-api.js';
import { jobEvents } from './api/job-api.js';
import { importedDoseMethods } from './api/imported-dose-api.js';
import { bidsMethods } from './api/bids-api.js';
import { syncMethods } from './api/sync-api.js';
import {
  deviceEvents,
  deviceKindMethods,
  deviceMethods,
  deviceSessionMethods,
  LiveIndicatorsSchema,
  signalQualityEvents,
  signalQualityMethods,
  StreamStatusSchema,
} from './api/device-api.js';
import { deletionMethods } from './api/deletion-api.js';
import { decodeLiveFrame, encodeLiveFrame, LiveFrameSchema } from './live-frame.js';

/**
 * The one API contract. Every method and event is declared here once, with zod schemas for its input and
 * output; the Electron (IPC), browser (HTTP + WebSocket) and renderer bindings are derived from it and hold
 * no logic of their own. Add a domain by writing `api/<domain>-api.ts` and spreading it below.
 */
export const apiMethods = {
  ...deviceMethods,
  ...settingsMethods,
  ...fileMethods,
  ...analysisMethods,
  ...signalMethods,
  ...replayMethods,
  ...downloadMethods,
  ...dosingMethods,
  ...patientMethods,
  ...sessionMethods,
  ...deviceSessionMethods,
  ...signalQualityMethods,
  ...importedDoseMethods,
  ...bidsMethods,
  ...deviceKindMethods,
  ...deletionMethods,
  ...syncMethods,
} as const;

/**
 * Events pushed from the app to the UI. `wire` is set for events whose payload carries typed arrays and so
 * travels as binary over WebSocket; the others travel as JSON.
 */
export const apiEvents = {
  liveFrame: { payload: LiveFrameSchema, wire: { encode: encodeLiveFrame, decode: decodeLiveFrame } },
  streamStatus: { payload: StreamStatusSchema, wire: undefined },
  liveIndicators: { payload: LiveIndicatorsSchema, wire: undefined },
  recordingStatus: { payload: RecordingStatusSchema, wire: undefined },
  analysisStatus: { payload: AnalysisStatusSchema, wire: undefined },
  ...deviceEvents,
  ...signalQualityEvents,
  ...jobEvents,
} as const;

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
export type MethodInput<M extends MethodName> = z.input<ApiMethods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<ApiMethods[M]['output']>;

export type ApiEvents = typeof apiEvents;
export type EventName = keyof ApiEvents;
export type EventPayload<E extends EventName> = z.output<ApiEvents[E]['payload']>;

/** What the app implements: one async function per method. Throw `ApiFailure` for expected errors. */
export type ApiHandlers = {
  [M in MethodName]: (input: z.output<ApiMethods[M]['input']>) => Promise<MethodOutput<M>>;
};

/** Something that emits the contract's events (the app side). */
export interface ApiEventSource {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** What the UI uses: the same in Electron and in the browser shell. `call` rejects with `ApiFailure`. */
export interface ApiClient extends ApiEventSource {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

export const methodNames = Object.keys(apiMethods) as MethodName[];
export const eventNames = Object.keys(apiEvents) as EventName[];

export const isMethodName = (name: string): name is MethodName => Object.hasOwn(apiMethods, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(apiEvents, name);

/** IPC channel names, shared by the Electron main process and the preload script. */
export const IPC_INVOKE_CHANNEL = 'tonus:invoke';
export const IPC_EVENT_CHANNEL = 'tonus:event';
