import type { DeviceEntry } from '../devices/registry.js';

/**
 * What `--device` names: the built-in demo device, a recording file to replay, a serial port or a BLE
 * peripheral. Text forms: `synthetic`, `replay:FILE`, `serial:PATH`, `ble:ID`.
 */
export type DeviceSpec =
  | { kind: 'synthetic' }
  | { kind: 'replay'; file: string }
  | { kind: 'serial'; path: string }
  | { kind: 'ble'; id: string };

/**
 * Why a device spec cannot be used: `invalid` (the text is not a device spec) or `unavailable` (a valid
 * spec this build or this machine cannot open).
 */
export class DeviceSpecError extends Error {
  constructor(
    readonly reason: 'invalid' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'DeviceSpecError';
  }
}

const FORMS = 'synthetic, replay:FILE, serial:PATH or ble:ID';

/** Parses a `--device` value. Throws {@link DeviceSpecError} `invalid` naming the bad text. */
export function parseDeviceSpec(text: string): DeviceSpec {
  const spec = text.trim();
  if (spec === 'synthetic') return { kind: 'synthetic' };
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  if (kind === 'replay' || kind === 'serial' || kind === 'ble') {
    if (rest === '') throw new DeviceSpecError('invalid', `Device "${text}" needs a value after "${kind}:".`);
    if (kind === 'replay') return { kind, file: rest };
    if (kind === 'serial') return { kind, path: rest };
    return { kind, id: rest };
  }
  throw new DeviceSpecError('invalid', `Unknown device "${text}": use ${FORMS}.`);
}

/** The registry id a spec stands for: `synthetic`, `replay:FILE`, `serial:PATH`, `ble:ID`. */
export function deviceIdOf(spec: DeviceSpec): string {
  switch (spec.kind) {
    case 'synthetic':
      return 'synthetic';
    case 'replay':
      return `replay:${spec.file}`;
    case 'serial':
      return `serial:${spec.path}`;
    case 'ble':
      return `ble:${spec.id}`;
  }
}

const notYet: Record<Exclude<DeviceSpec['kind'], 'synthetic'>, string> = {
  replay: 'Replaying a recording file',
  serial: 'Recording from a serial device',
  ble: 'Recording from a Bluetooth LE device',
};

/**
 * How to make a device for the spec kinds that name something outside the registry (a file, a port, a
 * peripheral). The lead wires these as the playback, serial and BLE drivers land; a kind without a factory
 * is "not available yet".
 */
export type DeviceFactories = Partial<{
  replay: (file: string) => DeviceEntry;
  serial: (path: string) => DeviceEntry;
  ble: (id: string) => DeviceEntry;
}>;

/**
 * The device for `spec`: the entry of `available` with its id, else one made by the matching factory.
 * Throws {@link DeviceSpecError} `unavailable`, saying which kind of device is not available in this build,
 * when there is neither.
 */
export function resolveDeviceSpec(
  spec: DeviceSpec,
  available: readonly DeviceEntry[],
  factories: DeviceFactories = {},
): DeviceEntry {
  const id = deviceIdOf(spec);
  const entry = available.find((d) => d.descriptor.id === id);
  if (entry) return entry;
  switch (spec.kind) {
    case 'synthetic':
      throw new DeviceSpecError('unavailable', 'The demo device is not registered in this build.');
    case 'replay':
      if (factories.replay) return factories.replay(spec.file);
      break;
    case 'serial':
      if (factories.serial) return factories.serial(spec.path);
      break;
    case 'ble':
      if (factories.ble) return factories.ble(spec.id);
      break;
  }
  throw new DeviceSpecError(
    'unavailable',
    `${notYet[spec.kind]} is not available yet in this build of Tonus (device "${id}").`,
  );
}
