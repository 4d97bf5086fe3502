import type { ApiHandlers } from '../../shared/api-contract.js';
import type { signalMethods, SignalTrace } from '../../shared/api/signal-api.js';
import type { StreamDescriptor } from '../../shared/samples.js';
import { ApiFailure } from '../../shared/result.js';
import { butterworthSos } from '../../dsp/butterworth.js';
import { linearEnvelope } from '../../dsp/envelope.js';
import { derivative, integrateAngle, staticPeriods } from '../../dsp/imu.js';
import { MinMaxDecimator } from '../../dsp/minmax-decimator.js';
import { defaultPadLength, sosfiltfilt } from '../../dsp/sos-filter.js';
import { remoteSignalsWords } from '../../storage/remote-signals.node.js';
import { readStream } from '../../storage/sample-chunks.node.js';
import { readStreamWindow } from '../../storage/sample-window.node.js';
import type { AppContext } from '../app-context.js';
import { sessionForUser } from '../session-for-user.js';

/** Extra signal read on each side of the window so the zero-phase envelope filter has settled inside it. */
const ENVELOPE_PAD_S = 1;

interface Kinematics {
  thetaDeg: Float64Array;
  omegaDegS: Float64Array;
  sampleRateHz: number;
  site: string;
}

/**
 * Sample range `[first, end)` of a stream at `sampleRateHz` and `length` samples covering `[fromS, toS]`
 * (sample i is at i / rate s from the session start, as in the analysis).
 */
function sampleRange(fromS: number, toS: number, sampleRateHz: number, length: number): [number, number] {
  const first = Math.min(length, Math.max(0, Math.floor(fromS * sampleRateHz)));
  const end = Math.min(length, Math.max(first, Math.ceil(toS * sampleRateHz) + 1));
  return [first, end];
}

/**
 * Min/max columns of `x[first, end)`, at most `maxPoints`, each timed at the centre of its samples; sample i
 * of `x` is sample `offset + i` of the stream.
 */
function decimate(
  x: ArrayLike<number>,
  first: number,
  end: number,
  sampleRateHz: number,
  maxPoints: number,
  offset = 0,
): Pick<SignalTrace, 'timesS' | 'min' | 'max'> {
  const n = end - first;
  const perColumn = Math.max(1, n / maxPoints);
  const decimator = new MinMaxDecimator(1, perColumn);
  const slice = new Float32Array(n);
  for (let i = 0; i < n; i++) slice[i] = x[first + i] ?? 0;
  decimator.push([slice]);
  const { columns, min, max } = decimator.take();
  const timesS: number[] = [];
  for (let k = 0; k < columns; k++) {
    const a = Math.floor(k * perColumn);
    const b = Math.min(n, Math.max(a + 1, Math.floor((k + 1) * perColumn)));
    timesS.push((offset + first + (a + b - 1) / 2) / sampleRateHz);
  }
  return { timesS, min: Array.from(min), max: Array.from(max) };
}

/**
 * θ/ω of a session the way the analysis finds them, so the catch it reports sits on the drawn angle: an
 * angle channel in degrees when there is one; otherwise the joint-axis gyro (else the gyro with the most
 * variance), its bias taken from the static periods, integrated from 0 at the session start.
 */
function kinematics(
  streams: readonly { descriptor: StreamDescriptor; data: Float32Array[] }[],
): Kinematics | undefined {
  for (const s of streams) {
    const k = s.descriptor.channels.findIndex((ch) => ch.kind === 'angle' && ch.unit === 'deg');
    const raw = s.data[k];
    if (k >= 0 && raw && raw.length > 1) {
      const fs = s.descriptor.sampleRateHz;
      const theta = Float64Array.from(raw);
      return {
        thetaDeg: theta,
        omegaDegS: derivative(theta, fs),
        sampleRateHz: fs,
        site: `${s.descriptor.id}/${s.descriptor.channels[k]?.id ?? ''}`,
      };
    }
  }
  let best: { s: (typeof streams)[number]; k: number; score: number } | undefined;
  for (const s of streams)
    s.descriptor.channels.forEach((ch, k) => {
      const d = s.data[k];
      if (ch.kind !== 'gyro' || !d || d.length < 2) return;
      const joint = s.descriptor.jointAxisChannelId === ch.id;
      let m = 0;
      for (const v of d) m += v;
      m /= d.length;
      let v2 = 0;
      for (const v of d) v2 += (v - m) ** 2;
      const score = joint ? Infinity : v2;
      if (!best || score > best.score) best = { s, k, score };
    });
  if (!best) return undefined;
  const { s, k } = best;
  const fs = s.descriptor.sampleRateHz;
  const ch = s.descriptor.channels[k];
  const toDeg = ch?.unit === 'rad/s' ? 180 / Math.PI : 1;
  const omega = Float64Array.from(s.data[k] ?? [], (v) => v * toDeg);
  let bias = 0;
  let nb = 0;
  for (const [a, b] of staticPeriods(omega, fs))
    for (let i = a; i < b; i++) {
      bias += omega[i] ?? 0;
      nb++;
    }
  if (nb > 0) for (let i = 0; i < omega.length; i++) omega[i] = (omega[i] ?? 0) - bias / nb;
  return {
    thetaDeg: integrateAngle(omega, fs, 0),
    omegaDegS: omega,
    sampleRateHz: fs,
    site: `${s.descriptor.id}/${ch?.id ?? ''}`,
  };
}

/** EMG without movement artefact and offset: 20 Hz high-pass (20–450 Hz band-pass when the rate allows). */
function highPassed(x: Float32Array, sampleRateHz: number): Float64Array {
  const sos =
    sampleRateHz > 1000
      ? butterworthSos(4, [20, 450], 'bandpass', sampleRateHz)
      : butterworthSos(4, Math.min(20, sampleRateHz / 4), 'highpass', sampleRateHz);
  return x.length > 30
    ? sosfiltfilt(sos, x, Math.min(x.length - 1, defaultPadLength(sos)))
    : Float64Array.from(x);
}

/** Handlers of the signal methods: windows of derived signals of a stored session, computed here. */
export function signalService(ctx: AppContext): Pick<ApiHandlers, keyof typeof signalMethods> {
  return {
    getSessionTraces: async ({ sessionId, fromS, toS, maxPoints }) => {
      if (!(toS > fromS))
        throw new ApiFailure(
          'invalid-input',
          `The window must end after it starts (${fromS} s to ${toS} s).`,
          'toS',
        );
      const session = sessionForUser(ctx.db, sessionId);
      const traces: SignalTrace[] = [];
      const imuStreams = session.streams.filter((d) =>
        d.channels.some((ch) => ch.kind === 'gyro' || (ch.kind === 'angle' && ch.unit === 'deg')),
      );
      const kin = kinematics(
        imuStreams.map((d) => ({ descriptor: d, data: readStream(ctx.db, sessionId, d).data })),
      );
      if (kin) {
        const [first, end] = sampleRange(fromS, toS, kin.sampleRateHz, kin.thetaDeg.length);
        if (end > first) {
          traces.push({
            id: 'angle',
            label: 'Joint angle',
            unit: 'deg',
            site: kin.site,
            ...decimate(kin.thetaDeg, first, end, kin.sampleRateHz, maxPoints),
          });
          traces.push({
            id: 'velocity',
            label: 'Angular velocity',
            unit: 'deg/s',
            site: kin.site,
            ...decimate(kin.omegaDegS, first, end, kin.sampleRateHz, maxPoints),
          });
        }
      }
      const emgStream = session.streams.find((d) => d.channels.some((ch) => ch.kind === 'emg'));
      const k = emgStream?.channels.findIndex((ch) => ch.kind === 'emg') ?? -1;
      const ch = emgStream?.channels[k];
      if (emgStream && ch) {
        const fs = emgStream.sampleRateHz;
        // Read only the window plus the envelope filter's settling margin on each side.
        const pad = Math.round(ENVELOPE_PAD_S * fs);
        const first = Math.max(0, Math.floor(fromS * fs));
        const window = readStreamWindow(
          ctx.db,
          sessionId,
          emgStream,
          first - pad,
          Math.ceil(toS * fs) + 1 + pad,
        );
        const x = window.data[k];
        const start = first - window.firstSeq;
        const end = Math.min(x?.length ?? 0, Math.ceil(toS * fs) + 1 - window.firstSeq);
        if (x && end > start) {
          const env = linearEnvelope(highPassed(x, fs), fs);
          traces.push({
            id: 'envelope',
            label: `EMG envelope (${ch.label})`,
            unit: ch.unit,
            site: `${emgStream.id}/${ch.id}`,
            ...decimate(env, start, end, fs, maxPoints, window.firstSeq),
          });
        }
      }
      const elsewhere = traces.length === 0 ? remoteSignalsWords(ctx.db, sessionId) : undefined;
      if (elsewhere !== undefined) throw new ApiFailure('not-found', elsewhere, 'sessionId');
      return { fromS, toS, traces };
    },
  };
}
