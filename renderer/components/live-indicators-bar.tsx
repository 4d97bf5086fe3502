import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { LiveIndicatorsPayload } from '../../src/shared/api/device-api.js';
import { useAngleUnit } from '../angle-unit-context.js';
import { formatNumber } from '../format.js';
import { displayUnit, formatAngularVelocity } from '../units.js';

/** Redraws of this panel per second: enough to read, far below the chart rate. */
const UPDATES_PER_S = 5;
/** Target of a slow stretch (domain spec §2.2): at most 30 °/s. */
const SLOW_MAX_DEG_S = 30;
/** Fast stretch from here (the medium band of §2.2 ends at 200 °/s). */
const FAST_MIN_DEG_S = 200;
/** Top of the velocity meter. */
const METER_MAX_DEG_S = 400;

/**
 * Live stretch velocity with slow/fast feedback, the EMG envelope per channel, and the latest stretch's
 * catch and reflex, for the device on screen. The count of stretches seen since the stream started is shown
 * only when it cannot be mistaken for the protocol's count (not during a recording, whose guidance counts).
 */
export function LiveIndicatorsBar({
  api,
  deviceId,
  emgUnit,
  showStretchCount,
}: {
  api: ApiClient;
  deviceId: string;
  emgUnit: string;
  showStretchCount: boolean;
}) {
  const [latest, setLatest] = useState<LiveIndicatorsPayload | undefined>();
  const pending = useRef<LiveIndicatorsPayload | undefined>(undefined);
  const angleUnit = useAngleUnit();

  useEffect(() => {
    const off = api.on('liveIndicators', (p) => {
      if (p.deviceId === deviceId) pending.current = p;
    });
    const timer = setInterval(() => {
      if (pending.current) setLatest(pending.current);
      pending.current = undefined;
    }, 1000 / UPDATES_PER_S);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [api, deviceId]);

  if (!latest) return null;
  const speed = Math.abs(latest.velocityDegS);
  const s = latest.stretch;
  // The meter reads in the unit on screen, so assistive technology announces the same number.
  const toShown = displayUnit('deg/s', angleUnit).factor;
  const pace = speed < 5 ? 'still' : speed <= SLOW_MAX_DEG_S ? 'slow (good for a slow stretch)' : 'fast';
  return (
    <section className="card live-indicators" aria-label="Live indicators">
      <div>
        <h2>Stretch velocity</h2>
        <p className="big-number">
          {formatAngularVelocity(speed, angleUnit)} <span className="hint">{pace}</span>
        </p>
        <meter
          min={0}
          max={METER_MAX_DEG_S * toShown}
          low={SLOW_MAX_DEG_S * toShown}
          high={FAST_MIN_DEG_S * toShown}
          optimum={0}
          value={Math.min(METER_MAX_DEG_S, speed) * toShown}
          aria-label={`Stretch velocity, 0 to ${formatAngularVelocity(METER_MAX_DEG_S, angleUnit)}`}
        />
      </div>
      <div>
        <h2>{showStretchCount ? 'Stretches seen' : 'Last stretch'}</h2>
        {showStretchCount && <p className="big-number">{latest.stretchCount}</p>}
        {s && (
          <p>
            {s.inProgress ? 'In progress' : 'Last'}: peak {formatAngularVelocity(s.peakVelDegS, angleUnit)} ·
            catch {s.catchPresent === null ? '—' : s.catchPresent ? 'yes' : 'no'} · reflex{' '}
            {s.reflexPresent ? 'yes' : 'no'}
          </p>
        )}
      </div>
      <div>
        <h2>EMG envelope (50 ms RMS)</h2>
        <ul className="envelope-list">
          {latest.emgRms.map((v, i) => (
            <li key={i}>
              <span>EMG {i + 1}</span>{' '}
              <meter min={0} max={100} value={Math.min(100, v)} aria-label={`EMG ${i + 1} envelope`} />{' '}
              {formatNumber(v, 1)} {emgUnit}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
