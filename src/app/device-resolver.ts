import { basename, resolve } from 'node:path';
import type { DeviceDescriptor, DeviceDriver } from '../devices/driver.js';
import { deviceKinds, parseDeviceSpec } from '../devices/descriptors.js';
import { createDriverForSpec } from '../devices/drivers/device-factory.node.js';
import { PlaybackDriver, type PlaybackSpeed } from '../devices/drivers/playback.js';
import { replayControlOf, type MaybeReplayDriver } from './replay-control.js';
import type { DeviceEntry } from '../devices/registry.js';
import { specDeviceEntry } from './device-manager.js';
import { builtinDevices } from '../devices/registry.js';
import type { BleCentral } from '../devices/transports/ble.node.js';
import { readRecordingFile } from '../io/read-recording.node.js';
import type { Db } from '../storage/database.node.js';
import { readSessionRecording } from '../storage/session-recording.node.js';

/** Turns a device id into a registry entry, or undefined when no such device can exist. */
export type DeviceResolver = (deviceId: string) => DeviceEntry | undefined;

/**
 * The same driver, presented under the id the caller asked for (so status and sessions name it alike) and,
 * when given, under another name.
 */
function renamed(driver: DeviceDriver, id: string, name?: string): MaybeReplayDriver {
  return {
    replay: replayControlOf(driver),
    get descriptor() {
      return { ...driver.descriptor, id, ...(name === undefined ? {} : { name }) };
    },
    connect: (signal) => driver.connect(signal),
    start: (sink, events) => driver.start(sink, events),
    stop: () => driver.stop(),
    disconnect: () => driver.disconnect(),
    get waitUntilPresent() {
      return driver.waitUntilPresent?.bind(driver);
    },
  };
}

function sessionIdOf(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`"${text}" is not a session id.`);
  return id;
}

function parseSpeed(text: string | null): PlaybackSpeed {
  if (text === null) return 1;
  if (text === 'max') return 'max';
  const speed = Number(text);
  if (!(speed >= 0.25 && speed <= 64)) throw new Error(`Replay speed "${text}" must be 0.25 to 64, or max.`);
  return speed;
}

/**
 * Resolves every kind of device id Tonus accepts: builtin ids (`synthetic`), `replay:FILE[?speed=N|max&loop=1]`
 * and `session:ID[?speed=…]` (a recording file or a stored session played back with its own timestamps), and `serial:PATH[?kind=…]` / `ble:ID?kind=…`
 * (streams as described by the device kind's table entry; the port or peripheral opens on connect).
 * Throws with a readable message when a replay file cannot be read.
 */
export function createDeviceResolver(central: () => BleCentral, db: Db): DeviceResolver {
  return (deviceId) => {
    const builtin = builtinDevices.find((d) => d.descriptor.id === deviceId);
    if (builtin) return builtin;
    const replay = /^(replay|session):([^?]*)\??(.*)$/.exec(deviceId);
    if (replay) {
      const [, kind, target = '', query = ''] = replay;
      const params = new URLSearchParams(query);
      const recording =
        kind === 'replay'
          ? readRecordingFile(resolve(target))
          : readSessionRecording(db, sessionIdOf(target));
      const options = { speed: parseSpeed(params.get('speed')), loop: params.get('loop') === '1' };
      const speedText = options.speed === 'max' ? 'full speed' : `${options.speed}×`;
      const name = `Replay of ${kind === 'session' ? `session ${target}` : basename(target)} at ${speedText}`;
      const descriptor: DeviceDescriptor = {
        ...new PlaybackDriver(recording, options).descriptor,
        id: deviceId,
        name,
      };
      return { descriptor, create: () => renamed(new PlaybackDriver(recording, options), deviceId, name) };
    }
    if (!deviceId.startsWith('serial:') && !deviceId.startsWith('ble:')) return undefined;
    const spec = parseDeviceSpec(deviceId);
    const kindId = spec.kind ?? (spec.transport === 'serial' ? 'cyton' : undefined);
    const kind = deviceKinds.find((k) => k.kind === kindId);
    if (!kind) {
      const kinds = deviceKinds.filter((k) => k.transport === spec.transport).map((k) => k.kind);
      throw new Error(`${deviceId}: which device is it? Scan first, or add ?kind=${kinds.join('|')}.`);
    }
    const entry = specDeviceEntry(deviceId, `${kind.name} (${spec.address})`, (s) =>
      createDriverForSpec(s, central),
    );
    const descriptor: DeviceDescriptor = { ...entry.descriptor, id: deviceId };
    return { descriptor, create: () => renamed(entry.create(), deviceId) };
  };
}
