import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { DeviceInfo, StreamStatus } from '../../src/shared/api/device-api.js';
import type { Session } from '../../src/shared/api/session-api.js';
import type { StreamDescriptor } from '../../src/shared/samples.js';
import { LiveChartPanel } from '../charts/live-chart-panel.js';
import { LiveMarkerList } from '../charts/live-markers.js';
import { LiveIndicatorsBar } from '../components/live-indicators-bar.js';
import { RecordingPanel } from '../components/recording-panel.js';
import { ReplaySeek } from '../components/replay-seek.js';
import { livePanels } from '../live-layout.js';
import { SignalQualitySummary } from '../components/signal-quality-summary.js';
import { useConnectionLost } from '../connection-context.js';

const WINDOW_S = 10;
const WIDTH_PX = 1000;

const STATE_TEXT: Record<StreamStatus['state'], string> = {
  idle: 'Not streaming',
  starting: 'Connecting…',
  streaming: 'Streaming',
  'no-data': 'No data from device',
  reconnecting: 'Device lost — reconnecting',
  stopped: 'Stopped',
  error: 'Device error',
};

/** A shape per state, so that the state does not rest on colour alone (read out as text anyway). */
const STATE_ICON: Partial<Record<StreamStatus['state'], string>> = {
  streaming: '●',
  'no-data': '⚠',
  reconnecting: '⚠',
  error: '✖',
};

export interface LiveScreenProps {
  api: ApiClient;
  /** The recording in progress, if any. */
  recording: Session | undefined;
  onRecordingStopped: (session: Session) => void;
  /** Opens New session (to record what is streaming). */
  onNewSession: () => void;
}

const isLiveState = (state: StreamStatus['state']): boolean =>
  state === 'streaming' || state === 'no-data' || state === 'starting' || state === 'reconnecting';

type ShownDevice = Pick<DeviceInfo, 'id' | 'name' | 'streams'>;

/** The device to draw: the one running (any kind: replay, serial, Bluetooth, group), else the one chosen. */
function shownDevice(status: StreamStatus, builtin: DeviceInfo[], chosenId: string): ShownDevice | undefined {
  if (isLiveState(status.state) && status.deviceId !== null && status.streams)
    return { id: status.deviceId, name: status.deviceName ?? status.deviceId, streams: status.streams };
  return builtin.find((d) => d.id === chosenId);
}

/**
 * Live view: pick a device, start and stop it, and watch EMG and IMU signals as they arrive; during a
 * recording, also elapsed time, losses, guidance and markers.
 */
export function LiveScreen({ api, recording, onRecordingStopped, onNewSession }: LiveScreenProps) {
  const [devices, setDevices] = useState<DeviceInfo[]>([]);
  const [chosenDeviceId, setDeviceId] = useState('synthetic');
  const [status, setStatus] = useState<StreamStatus>({ state: 'idle', deviceId: null });
  const [error, setError] = useState<string | undefined>();
  const markers = useMemo(() => new LiveMarkerList(), [recording?.id]);

  useEffect(() => {
    api.call('listDevices', {}).then(setDevices, (e: Error) => setError(e.message));
    api.call('getStreamStatus', {}).then(setStatus, () => undefined);
    void api.call('setLiveView', { widthPx: WIDTH_PX, windowS: WINDOW_S });
    return api.on('streamStatus', setStatus);
  }, [api]);

  const run = useCallback((action: Promise<StreamStatus>) => {
    setError(undefined);
    action.then(setStatus, (e: Error) => setError(e.message));
  }, []);

  const device = shownDevice(status, devices, chosenDeviceId);
  const deviceId = device?.id ?? chosenDeviceId;
  // Status events carry fresh copies of the streams: charts are rebuilt only when the streams really change.
  const streamsKey = JSON.stringify(device?.streams ?? []);
  const panels = useMemo(() => livePanels(JSON.parse(streamsKey) as StreamDescriptor[]), [streamsKey]);
  const emg = panels.find((p) => p.laneHalfRange !== undefined)?.stream;
  const isLive = isLiveState(status.state);
  const connectionLost = useConnectionLost();
  // Start and Stop replace each other: focus follows to the one now shown instead of falling to the page.
  const toggleRef = useRef<HTMLButtonElement>(null);
  const toggledByUser = useRef(false);
  useEffect(() => {
    if (!toggledByUser.current) return;
    toggledByUser.current = false;
    toggleRef.current?.focus();
  }, [isLive]);

  return (
    <section className="screen" aria-labelledby="live-title">
      <header className="screen__header">
        <h1 id="live-title">Live signals</h1>
        <div className="toolbar" role="toolbar" aria-label="Stream controls">
          <label>
            Device{' '}
            <select value={deviceId} onChange={(e) => setDeviceId(e.target.value)} disabled={isLive}>
              {devices.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
              {device && !devices.some((d) => d.id === device.id) && (
                <option value={device.id}>{device.name}</option>
              )}
            </select>
          </label>
          {recording ? null : isLive ? (
            <button
              type="button"
              ref={toggleRef}
              onClick={() => {
                toggledByUser.current = true;
                run(api.call('stopStream', {}));
              }}
            >
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              ref={toggleRef}
              onClick={() => {
                toggledByUser.current = true;
                run(api.call('startStream', { deviceId }));
              }}
            >
              Start
            </button>
          )}
          <span
            className={`status status--${connectionLost ? 'reconnecting' : status.state}`}
            role="status"
            aria-live="polite"
          >
            {connectionLost ? (
              <>
                <span aria-hidden="true">⚠ </span>Connection lost: streaming state unknown
              </>
            ) : (
              <>
                {STATE_ICON[status.state] && <span aria-hidden="true">{STATE_ICON[status.state]} </span>}
                {STATE_TEXT[status.state]}
                {status.message ? `: ${status.message}` : ''}
              </>
            )}
          </span>
        </div>
      </header>
      {isLive && /^(replay|session):/.test(deviceId) && <ReplaySeek api={api} />}
      {recording && (
        <RecordingPanel api={api} session={recording} markers={markers} onStopped={onRecordingStopped} />
      )}
      {!recording && isLive && (
        <section className="card not-recording" aria-labelledby="not-recording-title">
          <h2 id="not-recording-title">
            <span aria-hidden="true">○ </span>Not recording
          </h2>
          <p>The signals are shown live, but nothing is stored. To keep them, start a session.</p>
          <button type="button" onClick={onNewSession}>
            New session
          </button>
        </section>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {/* Stale numbers would look live: shown only while connected. */}
      {isLive && !connectionLost && emg && (
        <LiveIndicatorsBar
          api={api}
          deviceId={deviceId}
          showStretchCount={!recording}
          emgUnit={emg.channels[0]?.unit === 'uV' ? 'µV' : (emg.channels[0]?.unit ?? '')}
        />
      )}
      {isLive && !connectionLost && <SignalQualitySummary api={api} deviceId={deviceId} />}
      {panels.length > 0 && (
        <div className="live-grid">
          {panels.map((p) => (
            <LiveChartPanel
              key={p.key}
              api={api}
              deviceId={deviceId}
              stream={p.stream}
              channelIds={p.channelIds}
              title={p.title}
              widthPx={WIDTH_PX}
              windowS={WINDOW_S}
              markers={markers}
              {...(p.note === undefined ? {} : { note: p.note })}
              {...(p.laneHalfRange === undefined ? {} : { laneHalfRange: p.laneHalfRange })}
            />
          ))}
        </div>
      )}
    </section>
  );
}
