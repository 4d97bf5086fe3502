import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPreloadApi, type IpcRendererLike } from '../../electron/preload-api.js';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src/shared/api-contract.js';

const exposed: Record<string, unknown> = {};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
}));

class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: unknown[][] = [];
  readonly listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  async invoke(channel: string, ...args: unknown[]) {
    this.invoked.push([channel, ...args]);
    return { ok: true, value: 'pong' };
  }
  on(channel: string, l: (event: unknown, ...args: unknown[]) => void) {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)?.add(l);
  }
  removeListener(channel: string, l: (event: unknown, ...args: unknown[]) => void) {
    this.listeners.get(channel)?.delete(l);
  }
  emit(channel: string, ...args: unknown[]) {
    for (const l of this.listeners.get(channel) ?? []) l({ sender: 'ipc-internals' }, ...args);
  }
}

describe('preload surface', () => {
  beforeEach(() => {
    for (const k of Object.keys(exposed)) delete exposed[k];
  });

  it('exposes exactly window.tonus with invoke, on, pickFile, pickFolder and saveReportPdf, nothing else', async () => {
    await import('../../electron/preload.js');
    expect(Object.keys(exposed)).toEqual(['tonus']);
    expect(Object.keys(exposed.tonus as object).sort()).toEqual([
      'invoke',
      'on',
      'pickFile',
      'pickFolder',
      'saveReportPdf',
    ]);
  });

  it('invoke sends only known method names on the one invoke channel', async () => {
    const ipc = new FakeIpcRenderer();
    const api = createPreloadApi(ipc);
    expect(await api.invoke('listDevices', {})).toEqual({ ok: true, value: 'pong' });
    expect(await api.invoke('require', 'fs')).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(ipc.invoked).toEqual([[IPC_INVOKE_CHANNEL, 'listDevices', {}]]);
  });

  it('on passes contract events without the Electron event object, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const api = createPreloadApi(ipc);
    const seen: unknown[][] = [];
    const off = api.on((name, payload) => seen.push([name, payload]));
    ipc.emit(IPC_EVENT_CHANNEL, 'streamStatus', { state: 'idle' });
    ipc.emit(IPC_EVENT_CHANNEL, 'notAnEvent', {});
    off();
    ipc.emit(IPC_EVENT_CHANNEL, 'streamStatus', { state: 'stopped' });
    expect(seen).toEqual([['streamStatus', { state: 'idle' }]]);
  });
});
