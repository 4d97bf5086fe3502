import type { DeviceInfo } from '../shared/api/device-api.js';
import type { DeviceDescriptor } from '../devices/driver.js';

/** A device descriptor as the API shows it: the same fields, with mutable copies of its stream lists. */
export function deviceInfoOf(d: DeviceDescriptor): DeviceInfo {
  return {
    id: d.id,
    name: d.name,
    transport: d.transport,
    streams: d.streams.map((s) => ({ ...s, channels: [...s.channels] })),
  };
}
