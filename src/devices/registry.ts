import type { DeviceDescriptor, DeviceDriver } from './driver.js';
import { demoSyntheticParams, SyntheticDriver, syntheticDescriptor } from './drivers/synthetic.js';

/** One entry of the explicit device registry: its descriptor and how to make a driver for it. */
export interface DeviceEntry {
  descriptor: DeviceDescriptor;
  create(): DeviceDriver;
}

/** Devices that are always available, whatever is plugged in. Discovered devices are added at run time. */
export const builtinDevices: readonly DeviceEntry[] = [
  { descriptor: syntheticDescriptor, create: () => new SyntheticDriver(demoSyntheticParams) },
];
export { deviceKinds, parseDeviceSpec } from './descriptors.js';
