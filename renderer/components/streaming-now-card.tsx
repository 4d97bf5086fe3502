import { useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type {
  DeviceStatus,
  SignalQuality,
  StreamState,
  StreamStatus,
} from '../../src/shared/api/device-api.js';
import { formatNumber } from '../format.js';
import { qualitySummaryText, verdictDisplay } from './signal-quality-words.js';

type AnyState = StreamState | DeviceStatus['state'];

/** States in words; `warn` ones get a warning sign and a border, not only a colour. */
const STATE_TEXT: Record<AnyState, { text: string; warn: boolean }> = {
  idle: { text: 'Not streaming', warn: false },
  starting: { text: 'Connecting…', warn: false },
  connecting: { text: 'Connecting…', warn: false },
  streaming: { text: 'Streaming', warn: false },
  'no-data': { text: 'No data from the device', warn: true },
  reconnecting: { text: 'Device lost, reconnecting', warn: true },
  stopped: { text: 'Stopped', warn: false },
  disconnected: { text: 'Disconnected', warn: true },
  error: { text: 'Device error', warn: true },
};

function StateLine({ state, message }: { state: AnyState; message?: string | undefined }) {
  const { text, warn } = STATE_TEXT[state];
  return (
    <p className={`sq-state${warn ? ' sq-state--warn' : ''}`}>
      <span aria-hidden="true">{warn ? '⚠' : '●'}</span> <strong>{text}</strong>
      {warn && <span className="visually-hidden"> (warning)</span>}
      {message ? ` — ${message}` : ''}
    </p>
  );
}

const rateText = (effectiveHz: number, nominalHz: number): string =>
  `${formatNumber(effectiveHz, 0)} of ${formatNumber(nominalHz, 0)} Hz`;

const percentText = (fraction: number): string =>
  fraction === 0 ? '0' : formatNumber(100 * fraction, fraction < 0.01 ? 2 : 1);

/**
 * "Streaming now": the device the acquisition runs (state in words, battery, dropped samples, rates and a
 * per-channel quality table, refreshed about once a second), and every device held by the device manager
 * (state and loss counters). Renders nothing while nothing streams or is connected.
 */
export function StreamingNowCard({
  api,
  deviceNames,
  onStop,
}: {
  api: ApiClient;
  /** Display names of known device ids; others are shown by id. */
  deviceNames: ReadonlyMap<string, string>;
  onStop: () => void;
}) {
  const [status, setStatus] = useState<StreamStatus>({ state: 'idle', deviceId: null });
  const [quality, setQuality] = useState<SignalQuality | null>(null);
  const [managed, setManaged] = useState<ReadonlyMap<string, DeviceStatus>>(new Map());

  useEffect(() => {
    let isCurrent = true;
    api.call('getStreamStatus', {}).then(
      (s) => isCurrent && setStatus(s),
      () => undefined,
    );
    api.call('getSignalQuality', {}).then(
      (q) => isCurrent && setQuality(q),
      () => undefined,
    );
    api.call('listConnectedDevices', {}).then(
      (list) => isCurrent && setManaged(new Map(list.map((d) => [d.deviceId, d]))),
      () => undefined,
    );
    const offs = [
      api.on('streamStatus', setStatus),
      api.on('signalQuality', setQuality),
      api.on('deviceStatus', (d) => setManaged((m) => new Map(m).set(d.deviceId, d))),
    ];
    return () => {
      isCurrent = false;
      for (const off of offs) off();
    };
  }, [api]);

  const isRunning = status.deviceId !== null && status.state !== 'idle' && status.state !== 'stopped';
  const shown = isRunning && quality?.deviceId === status.deviceId ? quality : null;
  const heldDevices = [...managed.values()].filter((d) => d.state !== 'disconnected');
  if (!isRunning && heldDevices.length === 0) return null;
  const nameOf = (id: string) => deviceNames.get(id) ?? id;

  return (
    <section className="card sq-card" aria-labelledby="streaming-now-title">
      <h2 id="streaming-now-title">Streaming now</h2>
      {isRunning && status.deviceId !== null && (
        <div className={`sq-device${STATE_TEXT[status.state].warn ? ' sq-device--warn' : ''}`}>
          <div className="sq-device__head">
            <h3>{nameOf(status.deviceId)}</h3>
            <button type="button" onClick={onStop}>
              Stop streaming
            </button>
          </div>
          <div role="status" aria-live="polite">
            <StateLine state={status.state} message={status.message} />
          </div>
          {shown && (
            <>
              <dl className="facts sq-facts">
                <div>
                  <dt>Battery</dt>
                  <dd>
                    {shown.batteryPercent !== undefined
                      ? `${formatNumber(shown.batteryPercent, 0)} %`
                      : 'Not reported'}
                  </dd>
                </div>
                <div>
                  <dt>Dropped samples</dt>
                  <dd>{shown.droppedSamples}</dd>
                </div>
                {shown.streams.map((s) => (
                  <div key={s.streamId}>
                    <dt>{s.label} rate</dt>
                    <dd>{rateText(s.effectiveRateHz, s.nominalRateHz)}</dd>
                  </div>
                ))}
              </dl>
              <p className="sq-summary-line">{qualitySummaryText(shown)}</p>
              {shown.state !== 'streaming' && (
                <p className="hint">The quality values below are from the last signal received.</p>
              )}
              {shown.streams.map((s) => (
                <QualityTable key={s.streamId} stream={s} windowS={shown.windowS} />
              ))}
            </>
          )}
        </div>
      )}
      {heldDevices.map((d) => (
        <div key={d.deviceId} className={`sq-device${STATE_TEXT[d.state].warn ? ' sq-device--warn' : ''}`}>
          <h3>{d.name}</h3>
          <StateLine state={d.state} message={d.message} />
          <dl className="facts sq-facts">
            <div>
              <dt>Battery</dt>
              <dd>
                {d.batteryPercent !== undefined ? `${formatNumber(d.batteryPercent, 0)} %` : 'Not reported'}
              </dd>
            </div>
            <div>
              <dt>Dropped samples</dt>
              <dd>{d.droppedSamples}</dd>
            </div>
            <div>
              <dt>Garbage bytes</dt>
              <dd>{d.garbageBytes}</dd>
            </div>
            <div>
              <dt>Reconnects</dt>
              <dd>{d.reconnects}</dd>
            </div>
            {d.streams.map((s) => (
              <div key={s.streamId}>
                <dt>{s.streamId} rate</dt>
                <dd>{rateText(s.effectiveRateHz, s.nominalRateHz)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </section>
  );
}

function QualityTable({ stream, windowS }: { stream: SignalQuality['streams'][number]; windowS: number }) {
  const captionId = `sq-caption-${stream.streamId}`;
  return (
    <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="table sq-table">
        <caption id={captionId}>
          {stream.label} signal quality per channel (last {formatNumber(windowS, 0)} s)
        </caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Verdict</th>
            <th scope="col" className="num">
              Noise (µV RMS)
            </th>
            <th scope="col" className="num">
              Line noise (dB)
            </th>
            <th scope="col" className="num">
              Clipping (%)
            </th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {stream.channels.map((c) => (
            <tr key={c.channelId}>
              <th scope="row">{c.label}</th>
              <td>
                <span className={`sq-verdict ${verdictDisplay(c).className}`}>
                  <span aria-hidden="true">{verdictDisplay(c).glyph}</span> {verdictDisplay(c).label}
                </span>
              </td>
              <td className="num">{formatNumber(c.noiseUv, 1)}</td>
              <td className="num">{formatNumber(c.lineNoiseDb, 0)}</td>
              <td className="num">{percentText(c.clippedFraction)}</td>
              <td>{c.reasons.length > 0 ? c.reasons.join(' ') : 'Clean signal.'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
