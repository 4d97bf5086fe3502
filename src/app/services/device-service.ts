import type { ApiHandlers } from '../../shared/api-contract.js';
import type { deviceKindMethods, deviceMethods, deviceSessionMethods } from '../../shared/api/device-api.js';
import { deviceKindInfos } from '../../devices/kind-options.js';
import { ApiFailure } from '../../shared/result.js';
import { builtinDevices } from '../../devices/registry.js';
import type { AppContext } from '../app-context.js';
import { DeviceManager } from '../device-manager.js';
import { deviceInfoOf } from '../device-info.js';

const managers = new WeakMap<AppContext, DeviceManager>();

/**
 * The app's device manager (one per app context, created on first use). Its status and gap events go to the
 * event hub as `deviceStatus` and `deviceGap`.
 */
export function deviceManagerFor(ctx: AppContext): DeviceManager {
  let m = managers.get(ctx);
  if (!m) {
    m = new DeviceManager(ctx.deviceDeps, {
      onStatus: (s) => ctx.events.emit('deviceStatus', s),
      onGap: (g) => ctx.events.emit('deviceGap', g),
    });
    managers.set(ctx, m);
  }
  return m;
}

/** Closes the app's device manager (every device it holds), when one was created. */
export async function closeDeviceManager(ctx: AppContext): Promise<void> {
  const m = managers.get(ctx);
  managers.delete(ctx);
  await m?.close();
}

/** Handlers of the device methods of the contract. */
export function deviceService(
  ctx: AppContext,
): Pick<
  ApiHandlers,
  keyof typeof deviceMethods | keyof typeof deviceSessionMethods | keyof typeof deviceKindMethods
> {
  return {
    listDevices: async () => builtinDevices.map(({ descriptor }) => deviceInfoOf(descriptor)),
    startStream: async ({ deviceId }) => ctx.acquisition.start(deviceId),
    stopStream: async () => ctx.acquisition.stop(),
    getStreamStatus: async () => ctx.acquisition.getStatus(),
    setLiveView: async (view) => {
      ctx.acquisition.setLiveView(view);
      return {};
    },
    scanDevices: async ({ timeoutMs }) => deviceManagerFor(ctx).scan(timeoutMs),
    connectDevice: async ({ spec }) => {
      try {
        return await deviceManagerFor(ctx).connect(spec);
      } catch (err) {
        throw new ApiFailure('device-error', err instanceof Error ? err.message : String(err), 'spec');
      }
    },
    disconnectDevice: async ({ deviceId }) => {
      await deviceManagerFor(ctx).disconnect(deviceId);
      return {};
    },
    listConnectedDevices: async () => deviceManagerFor(ctx).statuses(),
    listDeviceKinds: async () => deviceKindInfos(),
  };
}
