import { describe, expect, it } from 'vitest';
import { bindIpc, forwardEvents, type IpcMainLike, type InvokeEventLike } from '../../electron/ipc.js';
import { EventHub } from '../../src/app/event-hub.js';
import type { ApiHandlers } from '../../src/shared/api-contract.js';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src/shared/api-contract.js';
import type { Result } from '../../src/shared/result.js';
import { deviceSessionFakeHandlers } from '../src/app/device-manager-fake-handlers.js';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<Result<unknown>>;

/** Stands in for Electron's ipcMain (below the boundary under test: the wrapper). */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(frameUrl: string | null, ...args: unknown[]): Promise<Result<unknown>> {
    const listener = this.handlers.get(IPC_INVOKE_CHANNEL);
    if (!listener) throw new Error('no handler');
    return listener({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
  }
}

const calls: unknown[] = [];
const handlers: ApiHandlers = {
  ...deviceSessionFakeHandlers,
  listDevices: async () => [],
  startStream: async (input) => {
    calls.push(input);
    return { state: 'streaming', deviceId: input.deviceId };
  },
  stopStream: async () => ({ state: 'stopped', deviceId: null }),
  getStreamStatus: async () => ({ state: 'idle', deviceId: null }),
  setLiveView: async () => ({}),
};

describe('IPC wrapper', () => {
  it('accepts a valid call from the app window and answers {ok, value}', async () => {
    const ipc = new FakeIpcMain();
    bindIpc(ipc, handlers);
    const r = await ipc.invoke('tonus://app/index.html', 'startStream', { deviceId: 'synthetic' });
    expect(r).toEqual({ ok: true, value: { state: 'streaming', deviceId: 'synthetic' } });
  });

  it('refuses a sender that is not the app origin, without running the handler', async () => {
    const ipc = new FakeIpcMain();
    bindIpc(ipc, handlers);
    calls.length = 0;
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'tonus://other/index.html', null]) {
      const r = await ipc.invoke(url, 'startStream', { deviceId: 'synthetic' });
      expect(r).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses input that breaks the schema', async () => {
    const ipc = new FakeIpcMain();
    bindIpc(ipc, handlers);
    const r = await ipc.invoke('tonus://app/index.html', 'startStream', { deviceId: ['x'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', where: 'startStream.deviceId' } });
  });

  it('refuses an unknown or non-string method name', async () => {
    const ipc = new FakeIpcMain();
    bindIpc(ipc, handlers);
    expect(await ipc.invoke('tonus://app/', 'eval', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await ipc.invoke('tonus://app/', { toString: () => 'listDevices' }, {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
  });

  it('removes its handler when unbound', () => {
    const ipc = new FakeIpcMain();
    const unbind = bindIpc(ipc, handlers);
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });

  it('forwards contract events to a live window and stops when the window is gone', () => {
    const hub = new EventHub();
    const sent: unknown[][] = [];
    let destroyed = false;
    const stop = forwardEvents(hub, { send: (...args) => sent.push(args), isDestroyed: () => destroyed });
    hub.emit('streamStatus', { state: 'idle', deviceId: null });
    destroyed = true;
    hub.emit('streamStatus', { state: 'stopped', deviceId: null });
    stop();
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, 'streamStatus', { state: 'idle', deviceId: null }]]);
    expect(hub.hasListeners('streamStatus')).toBe(false);
  });
});
