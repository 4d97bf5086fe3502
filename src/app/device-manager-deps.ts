import { builtinDevices } from '../devices/registry.js';
import { createDriverForSpec } from '../devices/drivers/device-factory.node.js';
import { identifyBleDevice } from '../devices/drivers/ble-devices.node.js';
import { BleCentral } from '../devices/transports/ble.node.js';
import { listSerialPorts } from '../devices/transports/serial.node.js';
import type { DeviceManagerDeps, DiscoveredDevice, DiscoveryResult } from './device-manager.js';

/**
 * The real discovery and driver sources: builtin devices, serial ports (USB ids hint the kind), and BLE through
 * one lazily created {@link BleCentral} (a machine without Bluetooth reports its adapter state instead).
 */
export function realDeviceManagerDeps(
  central?: BleCentral,
): DeviceManagerDeps & { central: () => BleCentral } {
  let ble = central;
  const getCentral = (): BleCentral => (ble ??= new BleCentral());
  return {
    central: getCentral,
    builtin: () => builtinDevices,
    createDriver: (spec) => createDriverForSpec(spec, getCentral),
    async discover(timeoutMs: number): Promise<DiscoveryResult> {
      const c = getCentral();
      const [ports, ads] = await Promise.all([listSerialPorts(), c.scan({ timeoutMs }).catch(() => [])]);
      const serial: DiscoveredDevice[] = ports.map((p) => {
        const d: DiscoveredDevice = {
          spec: `serial:${p.path}${p.likelyDevice ? `?kind=${p.likelyDevice}` : ''}`,
          id: `serial:${p.path}`,
          name: p.manufacturer ? `${p.manufacturer} (${p.path})` : p.path,
          transport: 'serial',
        };
        if (p.likelyDevice) d.kind = p.likelyDevice;
        if (p.vendorId) d.vendorId = p.vendorId;
        if (p.productId) d.productId = p.productId;
        return d;
      });
      const bleDevices: DiscoveredDevice[] = ads.flatMap((a) => {
        const kind = identifyBleDevice(a.name, a.serviceUuids);
        if (!kind) return [];
        return [
          {
            spec: `ble:${a.id}?kind=${kind}`,
            id: `ble:${a.id}`,
            name: a.name ?? a.id,
            transport: 'ble' as const,
            kind,
            rssi: a.rssi,
          },
        ];
      });
      return { devices: [...serial, ...bleDevices], ble: { state: c.state, message: c.stateMessage } };
    },
  };
}
