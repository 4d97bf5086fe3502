import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  isEventName,
  isMethodName,
} from '../src/shared/api-contract.js';
import type { Result } from '../src/shared/result.js';
import { fail } from '../src/shared/result.js';

/** The parts of `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
}

/**
 * Exactly what the page sees as `window.tonus`: two functions, no Electron objects. `invoke` calls one
 * contract method; `on` subscribes to contract events and returns an unsubscribe function.
 */
export interface PreloadApi {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
}

export function createPreloadApi(ipc: IpcRendererLike): PreloadApi {
  return {
    invoke: async (method, input) => {
      if (typeof method !== 'string' || !isMethodName(method)) {
        return fail('unknown-method', `There is no API method called "${String(method)}".`);
      }
      return (await ipc.invoke(IPC_INVOKE_CHANNEL, method, input)) as Result<unknown>;
    },
    on: (listener) => {
      const handler = (_event: unknown, name: unknown, payload: unknown): void => {
        if (typeof name === 'string' && isEventName(name)) listener(name, payload);
      };
      ipc.on(IPC_EVENT_CHANNEL, handler as (event: unknown, ...args: unknown[]) => void);
      return () =>
        ipc.removeListener(IPC_EVENT_CHANNEL, handler as (event: unknown, ...args: unknown[]) => void);
    },
  };
}
