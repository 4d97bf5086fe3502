import type { Result } from '../src/shared/result.js';
import { fail, ok } from '../src/shared/result.js';
import { isTrustedSender, type IpcMainLike } from './ipc.js';
import { IPC_PICK_FOLDER_CHANNEL } from './preload-api.js';

/** The options the picker passes to Electron's `dialog.showOpenDialog`. */
export interface FolderDialogOptions {
  title: string;
  buttonLabel: string;
  properties: ('openDirectory' | 'createDirectory')[];
}

/** The parts of `dialog.showOpenDialog`'s answer the picker reads. */
export interface FolderDialogAnswer {
  canceled: boolean;
  filePaths: string[];
}

/**
 * Answers the preload's `pickFolder()`: for a sender showing the app's own origin, opens the folder dialog
 * (choose or create one folder) and answers `{ok, value: path}`, or `{ok, value: null}` when the user
 * cancelled; any other sender gets `untrusted-sender` and no dialog. Takes no input. Returns a function that
 * removes the handler.
 */
export function bindFolderPicker(
  ipcMain: IpcMainLike,
  showOpenDialog: (options: FolderDialogOptions) => Promise<FolderDialogAnswer>,
): () => void {
  ipcMain.handle(IPC_PICK_FOLDER_CHANNEL, async (event): Promise<Result<unknown>> => {
    if (!isTrustedSender(event))
      return fail('untrusted-sender', 'This request did not come from the Tonus window and was refused.');
    const answer = await showOpenDialog({
      title: 'Choose a folder for the export',
      buttonLabel: 'Choose',
      properties: ['openDirectory', 'createDirectory'],
    });
    return ok(answer.canceled ? null : (answer.filePaths[0] ?? null));
  });
  return () => ipcMain.removeHandler(IPC_PICK_FOLDER_CHANNEL);
}
