import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { ReplayPosition } from '../../src/shared/api/replay-api.js';
import { formatNumber } from '../format.js';

/** How often the slider follows the replay, ms. */
const POLL_MS = 500;

/** `m:ss.s` of a time in seconds. */
const clock = (s: number): string => `${Math.floor(s / 60)}:${formatNumber(s % 60, 1).padStart(4, '0')}`;

/**
 * A seek slider for the replay on the live stream: follows the position while it plays and moves it when
 * the user drags or uses the arrow keys. Shows nothing when the stream is not a replay.
 */
export function ReplaySeek({ api }: { api: ApiClient }) {
  const [position, setPosition] = useState<ReplayPosition | null>(null);
  const [error, setError] = useState<string | undefined>();
  const held = useRef(false);

  useEffect(() => {
    let live = true;
    const poll = (): void => {
      api.call('getReplayPosition', {}).then(
        (p) => live && !held.current && setPosition(p),
        () => undefined,
      );
    };
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);

  if (!position) return null;
  const seek = (positionS: number): void => {
    setPosition({ ...position, positionS });
    setError(undefined);
    api.call('seekStream', { positionS }).then(setPosition, (e: Error) => setError(e.message));
  };
  return (
    <div className="replay-seek">
      <label htmlFor="replay-seek">Replay position</label>
      <input
        id="replay-seek"
        type="range"
        min={0}
        max={position.durationS}
        step={0.1}
        value={Math.min(position.positionS, position.durationS)}
        aria-valuetext={`${formatNumber(position.positionS, 1)} s of ${formatNumber(position.durationS, 1)} s`}
        onPointerDown={() => {
          held.current = true;
        }}
        onPointerUp={() => {
          held.current = false;
        }}
        onChange={(e) => seek(Number(e.target.value))}
      />
      <output htmlFor="replay-seek">
        {clock(position.positionS)} / {clock(position.durationS)}
      </output>
      {error && (
        <p className="error" role="alert">
          Could not move the replay: {error}
        </p>
      )}
    </div>
  );
}
