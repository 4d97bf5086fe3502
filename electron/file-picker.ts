import type { Result } from '../src/shared/result.js';
import { fail, ok } from '../src/shared/result.js';
import { isTrustedSender, type IpcMainLike } from './ipc.js';
import { IPC_PICK_FILE_CHANNEL } from './preload-api.js';

/** The options the picker passes to Electron's `dialog.showOpenDialog`. */
export interface FileDialogOptions {
  title: string;
  buttonLabel: string;
  properties: 'openFile'[];
  filters: { name: string; extensions: string[] }[];
}

/** The parts of `dialog.showOpenDialog`'s answer the picker reads. */
export interface FileDialogAnswer {
  canceled: boolean;
  filePaths: string[];
}

/** The recording files Tonus imports, as the dialog's filters (everything else under "All files"). */
export const RECORDING_FILTERS: FileDialogOptions['filters'] = [
  { name: 'Recordings (BDF, EDF, OpenBCI, CSV)', extensions: ['bdf', 'edf', 'txt', 'csv'] },
  { name: 'All files', extensions: ['*'] },
];

/**
 * Answers the preload's `pickFile()`: for a sender showing the app's own origin, opens the system's
 * open-file dialog (one recording file) and answers `{ok, value: path}`, or `{ok, value: null}` when the
 * user cancelled; any other sender gets `untrusted-sender` and no dialog. Returns a function that removes
 * the handler.
 */
export function bindFilePicker(
  ipcMain: IpcMainLike,
  showOpenDialog: (options: FileDialogOptions) => Promise<FileDialogAnswer>,
): () => void {
  ipcMain.handle(IPC_PICK_FILE_CHANNEL, async (event): Promise<Result<unknown>> => {
    if (!isTrustedSender(event))
      return fail('untrusted-sender', 'This request did not come from the Tonus window and was refused.');
    const answer = await showOpenDialog({
      title: 'Choose a recording to import',
      buttonLabel: 'Import',
      properties: ['openFile'],
      filters: RECORDING_FILTERS,
    });
    return ok(answer.canceled ? null : (answer.filePaths[0] ?? null));
  });
  return () => ipcMain.removeHandler(IPC_PICK_FILE_CHANNEL);
}
