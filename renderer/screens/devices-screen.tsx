import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { DeviceInfo, DiscoveredDeviceSchema } from '../../src/shared/api/device-api.js';
import { StreamingNowCard } from '../components/streaming-now-card.js';

type Discovered = z.infer<typeof DiscoveredDeviceSchema>;

const TRANSPORT_TEXT: Record<Discovered['transport'], string> = {
  builtin: 'Built in',
  serial: 'USB / serial',
  ble: 'Bluetooth LE',
};

/**
 * Devices: the demo device always, plus what a scan finds on serial ports and Bluetooth LE, with the
 * Bluetooth adapter's state in words. Choosing one starts it on the Live screen. Above the list, the device
 * streaming now with its live signal quality, battery and loss counters.
 */
export function DevicesScreen({ api, onUse }: { api: ApiClient; onUse: () => void }) {
  const [builtin, setBuiltin] = useState<DeviceInfo[]>([]);
  const [found, setFound] = useState<Discovered[] | undefined>();
  const [ble, setBle] = useState<{ state: string; message: string } | undefined>();
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.call('listDevices', {}).then(setBuiltin, (e: Error) => setError(e.message));
  }, [api]);

  const scan = (): void => {
    setScanning(true);
    setError(undefined);
    api
      .call('scanDevices', { timeoutMs: 3000 })
      .then(
        (r) => {
          setFound(r.devices.filter((d) => d.transport !== 'builtin'));
          setBle(r.ble);
        },
        (e: Error) => setError(`Scan failed: ${e.message}`),
      )
      .finally(() => setScanning(false));
  };

  const use = (id: string, name: string): void => {
    setError(undefined);
    api.call('startStream', { deviceId: id }).then(
      () => onUse(),
      (e: Error) =>
        setError(
          `${name} did not start: ${e.message}. Check that it is switched on and plugged in, then try again.`,
        ),
    );
  };

  const deviceNames = new Map<string, string>([
    ...builtin.map((d): [string, string] => [d.id, d.name]),
    ...(found ?? []).map((d): [string, string] => [d.spec, d.name]),
  ]);
  const stop = (): void => {
    api.call('stopStream', {}).then(
      () => undefined,
      (e: Error) => setError(`Could not stop: ${e.message}`),
    );
  };

  return (
    <section className="screen" aria-labelledby="devices-title">
      <header className="screen__header">
        <h1 id="devices-title">Devices</h1>
        <button type="button" className="primary" onClick={scan} disabled={scanning}>
          {scanning ? 'Scanning…' : 'Scan for devices'}
        </button>
      </header>
      {scanning && <progress aria-label="Scanning serial ports and Bluetooth" />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {ble && (
        <p role="status" className={ble.state === 'poweredOn' ? 'hint' : 'card card--notice'}>
          Bluetooth: {ble.state === 'poweredOn' ? 'on' : ble.message}
        </p>
      )}
      <StreamingNowCard api={api} deviceNames={deviceNames} onStop={stop} />
      <div className="table-scroll">
        <table className="table" aria-label="Devices">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Connection</th>
              <th scope="col">Signal</th>
              <th scope="col">Streams</th>
              <th scope="col">
                <span className="visually-hidden">Use</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {builtin.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.name}</th>
                <td>{TRANSPORT_TEXT.builtin}</td>
                <td>—</td>
                <td>
                  {d.streams
                    .map((s) => `${s.label} ${s.channels.length} ch @ ${s.sampleRateHz} Hz`)
                    .join(', ')}
                </td>
                <td>
                  <button type="button" onClick={() => use(d.id, d.name)} aria-label={`Stream ${d.name}`}>
                    Stream
                  </button>
                </td>
              </tr>
            ))}
            {found?.map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  {d.name}
                  {d.kind ? ` (${d.kind})` : ''}
                </th>
                <td>{TRANSPORT_TEXT[d.transport]}</td>
                <td>{d.rssi !== undefined ? `${d.rssi} dBm` : '—'}</td>
                <td>—</td>
                <td>
                  <button type="button" onClick={() => use(d.spec, d.name)} aria-label={`Stream ${d.name}`}>
                    Stream
                  </button>
                </td>
              </tr>
            ))}
            {found?.length === 0 && (
              <tr>
                <td colSpan={5}>
                  No serial or Bluetooth device found. Plug the dongle in or switch the sensor on, then scan
                  again.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
