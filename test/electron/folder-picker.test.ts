import { describe, expect, it } from 'vitest';
import {
  bindFolderPicker,
  type FolderDialogAnswer,
  type FolderDialogOptions,
} from '../../electron/folder-picker.js';
import { FakeIpcMain } from './fake-ipc-main.js';
import { createPreloadApi, IPC_PICK_FOLDER_CHANNEL } from '../../electron/preload-api.js';

/** Stands in for dialog.showOpenDialog: answers what it is given and remembers the options. */
function fakeDialog(answer: FolderDialogAnswer) {
  const opened: FolderDialogOptions[] = [];
  return {
    opened,
    show: async (options: FolderDialogOptions) => {
      opened.push(options);
      return answer;
    },
  };
}

const APP = 'tonus://app/index.html';

describe('folder picker (desktop shell)', () => {
  it('opens a choose-or-create folder dialog for the app window and answers the path', async () => {
    const ipc = new FakeIpcMain();
    const dialog = fakeDialog({ canceled: false, filePaths: ['/home/me/exports'] });
    bindFolderPicker(ipc, dialog.show);
    expect(await ipc.invoke(APP, IPC_PICK_FOLDER_CHANNEL)).toEqual({ ok: true, value: '/home/me/exports' });
    expect(dialog.opened).toHaveLength(1);
    expect(dialog.opened[0]?.properties.sort()).toEqual(['createDirectory', 'openDirectory']);
  });

  it('answers null when the user cancels', async () => {
    const ipc = new FakeIpcMain();
    bindFolderPicker(ipc, fakeDialog({ canceled: true, filePaths: [] }).show);
    expect(await ipc.invoke(APP, IPC_PICK_FOLDER_CHANNEL)).toEqual({ ok: true, value: null });
  });

  it('refuses other senders without opening a dialog, and unbinds', async () => {
    const ipc = new FakeIpcMain();
    const dialog = fakeDialog({ canceled: false, filePaths: ['/tmp'] });
    const unbind = bindFolderPicker(ipc, dialog.show);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', null]) {
      const r = await ipc.invoke(url, IPC_PICK_FOLDER_CHANNEL);
      expect(r).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    }
    expect(dialog.opened).toEqual([]);
    unbind();
    expect(ipc.handlers.has(IPC_PICK_FOLDER_CHANNEL)).toBe(false);
  });

  it('reaches the page as pickFolder(): a path, null, or an error with the refusal', async () => {
    const ipc = new FakeIpcMain();
    let frame: string | null = APP;
    let answer: FolderDialogAnswer = { canceled: false, filePaths: ['/data/out'] };
    bindFolderPicker(ipc, async () => answer);
    const api = createPreloadApi({
      invoke: (channel: string, ...args: unknown[]) => ipc.invoke(frame, channel, ...args),
      on: () => undefined,
      removeListener: () => undefined,
    });
    expect(await api.pickFolder()).toBe('/data/out');
    answer = { canceled: true, filePaths: [] };
    expect(await api.pickFolder()).toBeNull();
    frame = 'https://evil.example/';
    await expect(api.pickFolder()).rejects.toThrow(/refused/);
  });
});
