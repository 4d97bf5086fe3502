import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { DeviceInfo, StreamStatus } from '../../src/shared/api/device-api.js';
import type { Session } from '../../src/shared/api/session-api.js';
import { LiveChartPanel } from '../charts/live-chart-panel.js';
import { LiveIndicatorsBar } from '../components/live-indicators-bar.js';
import { RecordingPanel } from '../components/recording-panel.js';
import { ReplaySeek } from '../components/replay-seek.js';
import { SignalQualitySummary } from '../components/signal-quality-summary.js';

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

export interface LiveScreenProps {
  api: ApiClient;
  /** The recording in progress, if any. */
  recording: Session | undefined;
  /** A device that is not in the built-in list (a replayed session, a scanned sensor), already streaming. */
  extraDevice?: DeviceInfo | undefined;
  onRecordingStopped: (session: Session) => void;
}

/**
 * Live view: pick a device, start and stop it, and watch EMG and IMU signals as they arrive; during a
 * recording, also elapsed time, losses, guidance and markers.
 */
export function LiveScreen({ api, recording, extraDevice, onRecordingStopped }: LiveScreenProps) {
  const [devices, setDevices] = useState<DeviceInfo[]>([]);
  const [chosenDeviceId, setDeviceId] = useState('synthetic');
  const deviceId = recording?.deviceId ?? extraDevice?.id ?? chosenDeviceId;
  const [status, setStatus] = useState<StreamStatus>({ state: 'idle', deviceId: null });
  const [error, setError] = useState<string | undefined>();

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

  const device = extraDevice?.id === deviceId ? extraDevice : devices.find((d) => d.id === deviceId);
  const emg = device?.streams.find((s) => s.channels.some((c) => c.kind === 'emg'));
  const imu = device?.streams.find((s) => s.channels.some((c) => c.kind === 'accel' || c.kind === 'gyro'));
  const isLive =
    status.state === 'streaming' ||
    status.state === 'no-data' ||
    status.state === 'starting' ||
    status.state === 'reconnecting';

  return (
    <section className="screen" aria-labelledby="live-title">
      <header className="screen__header">
        <h1 id="live-title">Live signals</h1>
        <div className="toolbar" role="toolbar" aria-label="Stream controls">
          <label>
            Device{' '}
            <select value={deviceId} onChange={(e) => setDeviceId(e.target.value)} disabled={isLive}>
              {(extraDevice ? [...devices, extraDevice] : devices).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
              {recording && !device && <option value={recording.deviceId}>{recording.deviceName}</option>}
            </select>
          </label>
          {recording ? null : isLive ? (
            <button type="button" onClick={() => run(api.call('stopStream', {}))}>
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={() => run(api.call('startStream', { deviceId }))}
            >
              Start
            </button>
          )}
          <span className={`status status--${status.state}`} role="status" aria-live="polite">
            {STATE_TEXT[status.state]}
            {status.message ? `: ${status.message}` : ''}
          </span>
        </div>
      </header>
      {isLive && device?.transport === 'file' && <ReplaySeek api={api} />}
      {recording && <RecordingPanel api={api} session={recording} onStopped={onRecordingStopped} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {isLive && emg && (
        <LiveIndicatorsBar
          api={api}
          deviceId={deviceId}
          emgUnit={emg.channels[0]?.unit === 'uV' ? 'µV' : (emg.channels[0]?.unit ?? '')}
        />
      )}
      {isLive && <SignalQualitySummary api={api} deviceId={deviceId} />}
      {emg && imu && (
        <div className="live-grid">
          <LiveChartPanel
            api={api}
            deviceId={deviceId}
            stream={emg}
            title="EMG"
            widthPx={WIDTH_PX}
            windowS={WINDOW_S}
            laneHalfRange={100}
          />
          <LiveChartPanel
            api={api}
            deviceId={deviceId}
            stream={imu}
            channelIds={imu.channels.filter((c) => c.kind === 'accel').map((c) => c.id)}
            title="Acceleration"
            widthPx={WIDTH_PX}
            windowS={WINDOW_S}
          />
          <LiveChartPanel
            api={api}
            deviceId={deviceId}
            stream={imu}
            channelIds={imu.channels.filter((c) => c.kind === 'gyro').map((c) => c.id)}
            title="Angular velocity"
            widthPx={WIDTH_PX}
            windowS={WINDOW_S}
          />
        </div>
      )}
    </section>
  );
}
