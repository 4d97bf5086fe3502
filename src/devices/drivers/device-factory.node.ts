import type { DeviceSpec } from '../descriptors.js';
import type { DeviceDriver } from '../driver.js';
import { bitalinoParams } from '../codec-factory.js';
import type { BleCentral } from '../transports/ble.node.js';
import { createBleDriver } from './ble-devices.node.js';
import {
  createBitalinoDriver,
  createCytonDriver,
  createLineDriver,
  loadLineProfile,
} from './serial-devices.node.js';

/**
 * Builds the driver for a parsed device spec. A serial spec without `kind` is a Cyton (the common case: the
 * OpenBCI dongle); a BLE spec needs `kind` (discovery fills it in from the advertisement). Errors name the spec.
 */
export async function createDriverForSpec(
  spec: DeviceSpec,
  central: () => BleCentral,
): Promise<DeviceDriver> {
  const kind = spec.kind ?? (spec.transport === 'serial' ? 'cyton' : undefined);
  switch (kind) {
    case 'cyton':
    case 'cyton-daisy':
      return createCytonDriver(spec.address, { isDaisy: kind === 'cyton-daisy' });
    case 'bitalino':
      return createBitalinoDriver(spec.address, bitalinoParams(spec));
    case 'line': {
      const file = spec.params.profile;
      if (!file) throw new Error(`${spec.id}: a line-protocol device needs profile=FILE.`);
      return createLineDriver(spec.address, await loadLineProfile(file), Number(spec.params.baud ?? 115200));
    }
    case 'ganglion':
    case 'myo':
    case 'myoware':
    case 'myoware-uart':
    case 'metawear':
      return createBleDriver(central(), spec.address, kind);
    case undefined:
      throw new Error(
        `${spec.id}: unknown BLE device kind; scan first or add ?kind=ganglion|myo|myoware|metawear.`,
      );
  }
}
