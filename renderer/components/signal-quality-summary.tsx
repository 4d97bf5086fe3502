import { useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { SignalQuality } from '../../src/shared/api/device-api.js';
import { qualitySummaryText, VERDICT_TEXT } from './signal-quality-words.js';

/**
 * One line of signal quality for the device on screen, e.g. "EMG: 7 good, 1 check electrode (EMG 8: line
 * noise)". The text changes only when a verdict does, so the polite live region speaks on changes, not
 * every second.
 */
export function SignalQualitySummary({ api, deviceId }: { api: ApiClient; deviceId: string }) {
  const [quality, setQuality] = useState<SignalQuality | undefined>();

  useEffect(() => {
    let isCurrent = true;
    const accept = (q: SignalQuality | null) => {
      if (isCurrent && q && q.deviceId === deviceId) setQuality(q);
    };
    api.call('getSignalQuality', {}).then(accept, () => undefined);
    const off = api.on('signalQuality', accept);
    return () => {
      isCurrent = false;
      off();
    };
  }, [api, deviceId]);

  if (!quality) return null;
  const channels = quality.streams.flatMap((s) => s.channels).filter((c) => c.issues[0] !== 'waiting');
  const worst = channels.some((c) => c.verdict === 'off')
    ? 'off'
    : channels.some((c) => c.verdict === 'check')
      ? 'check'
      : 'good';
  return (
    <p className={`sq-summary sq-summary--${worst}`} aria-live="polite">
      <span className="sq-summary__glyph" aria-hidden="true">
        {channels.length === 0 ? '…' : VERDICT_TEXT[worst].glyph}
      </span>{' '}
      <span>{qualitySummaryText(quality)}</span>
    </p>
  );
}
