import type { DeviceDriver } from '../devices/driver.js';
import { PlaybackDriver } from '../devices/drivers/playback.js';

/** Seeking in a device that plays a recording back. Times in s from the recording start. */
export interface ReplayControl {
  seek(positionS: number): void;
  positionS(): number;
  readonly durationS: number;
}

/** A driver that may carry a replay control (a playback, possibly wrapped under another device id). */
export type MaybeReplayDriver = DeviceDriver & { readonly replay?: ReplayControl };

/** The replay control of a playback driver, for wrappers that hide the driver's class. */
export function replayControlOf(driver: DeviceDriver | undefined): ReplayControl | undefined {
  if (driver instanceof PlaybackDriver)
    return { seek: (s) => driver.seek(s), positionS: () => driver.positionS, durationS: driver.durationS };
  return (driver as MaybeReplayDriver | undefined)?.replay;
}
