import type { ApiHandlers } from '../../../src/shared/api-contract.js';
import type { deviceSessionMethods } from '../../../src/shared/api/device-api.js';

/** Handlers of the device-session methods for tests that fake the whole contract: no devices, nothing connected. */
export const deviceSessionFakeHandlers: Pick<ApiHandlers, keyof typeof deviceSessionMethods> = {
  scanDevices: async () => ({
    devices: [],
    ble: { state: 'unsupported', message: 'No Bluetooth in tests.' },
  }),
  connectDevice: async ({ spec }) => ({
    deviceId: spec,
    name: spec,
    state: 'streaming',
    lastDataAtMs: 0,
    reconnects: 0,
    droppedSamples: 0,
    garbageBytes: 0,
    streams: [],
  }),
  disconnectDevice: async () => ({}),
  listConnectedDevices: async () => [],
};
