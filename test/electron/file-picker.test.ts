import { describe, expect, it } from 'vitest';
import {
  bindFilePicker,
  RECORDING_FILTERS,
  type FileDialogAnswer,
  type FileDialogOptions,
} from '../../electron/file-picker.js';
import { FakeIpcMain } from './fake-ipc-main.js';
import { createPreloadApi, IPC_PICK_FILE_CHANNEL } from '../../electron/preload-api.js';

const APP = 'tonus://app/index.html';

describe('file picker for import (desktop shell)', () => {
  it('opens an open-one-file dialog for recordings and answers the path, or null when cancelled', async () => {
    const ipc = new FakeIpcMain();
    const opened: FileDialogOptions[] = [];
    let answer: FileDialogAnswer = { canceled: false, filePaths: ['/home/me/visit.bdf'] };
    bindFilePicker(ipc, async (options) => {
      opened.push(options);
      return answer;
    });
    expect(await ipc.invoke(APP, IPC_PICK_FILE_CHANNEL)).toEqual({ ok: true, value: '/home/me/visit.bdf' });
    expect(opened[0]).toMatchObject({ properties: ['openFile'], filters: RECORDING_FILTERS });
    expect(RECORDING_FILTERS[0]?.extensions).toEqual(['bdf', 'edf', 'txt', 'csv']);
    answer = { canceled: true, filePaths: [] };
    expect(await ipc.invoke(APP, IPC_PICK_FILE_CHANNEL)).toEqual({ ok: true, value: null });
  });

  it('refuses other senders without a dialog, reaches the page as pickFile(), and unbinds', async () => {
    const ipc = new FakeIpcMain();
    let opened = 0;
    let frame: string | null = 'https://evil.example/';
    const unbind = bindFilePicker(ipc, async () => {
      opened++;
      return { canceled: false, filePaths: ['/data/rec.edf'] };
    });
    const api = createPreloadApi({
      invoke: (channel: string, ...args: unknown[]) => ipc.invoke(frame, channel, ...args),
      on: () => undefined,
      removeListener: () => undefined,
    });
    await expect(api.pickFile()).rejects.toThrow(/did not come from the Tonus window/);
    expect(opened).toBe(0);
    frame = APP;
    expect(await api.pickFile()).toBe('/data/rec.edf');
    unbind();
    expect(ipc.handlers.has(IPC_PICK_FILE_CHANNEL)).toBe(false);
  });
});
