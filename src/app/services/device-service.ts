import type { ApiHandlers } from '../../shared/api-contract.js';
import type { deviceMethods } from '../../shared/api/device-api.js';
import { builtinDevices } from '../../devices/registry.js';
import type { AppContext } from '../app-context.js';

/** Handlers of the device methods of the contract. */
export function deviceService(ctx: AppContext): Pick<ApiHandlers, keyof typeof deviceMethods> {
  return {
    listDevices: async () =>
      builtinDevices.map(({ descriptor: d }) => ({
        id: d.id,
        name: d.name,
        transport: d.transport,
        streams: d.streams.map((s) => ({ ...s, channels: [...s.channels] })),
      })),
    startStream: async ({ deviceId }) => ctx.acquisition.start(deviceId),
    stopStream: async () => ctx.acquisition.stop(),
    getStreamStatus: async () => ctx.acquisition.getStatus(),
    setLiveView: async (view) => {
      ctx.acquisition.setLiveView(view);
      return {};
    },
  };
}
