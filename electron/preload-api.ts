import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  isEventName,
  isMethodName,
} from '../src/shared/api-contract.js';
import type { Result } from '../src/shared/result.js';
import { fail } from '../src/shared/result.js';

/** IPC channel of the desktop-only folder picker (not part of the API contract: a browser cannot pick). */
export const IPC_PICK_FOLDER_CHANNEL = 'tonus:pick-folder';
/** IPC channel of the desktop-only file picker (import by the system's open-file dialog). */
export const IPC_PICK_FILE_CHANNEL = 'tonus:pick-file';

/** IPC channel of the desktop-only visit-report PDF (printToPDF and a save dialog; see report-pdf.ts). */
export const IPC_SAVE_REPORT_PDF_CHANNEL = 'tonus:save-report-pdf';

/** The parts of `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
}

/**
 * Exactly what the page sees as `window.tonus`: four functions, no Electron objects. `invoke` calls one
 * contract method; `on` subscribes to contract events and returns an unsubscribe function; `pickFolder`
 * (desktop shell only) opens the system's folder dialog and resolves with the chosen folder's absolute
 * path, or null when the user cancelled; `saveReportPdf` (desktop shell only) prints the visit report to
 * a PDF file the user chooses.
 */
export interface PreloadApi {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
  pickFolder(): Promise<string | null>;
  /** Prints the page (the visit report) to PDF and saves it where the user says: the path, or null. */
  saveReportPdf(fileName: string): Promise<string | null>;
  /** Desktop only: the system's open-file dialog; the chosen recording's path, or null when cancelled. */
  pickFile(): Promise<string | null>;
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
    pickFolder: () => pickPath(ipc, IPC_PICK_FOLDER_CHANNEL),
    pickFile: () => pickPath(ipc, IPC_PICK_FILE_CHANNEL),
    saveReportPdf: async (fileName) => {
      const r = (await ipc.invoke(IPC_SAVE_REPORT_PDF_CHANNEL, String(fileName))) as Result<unknown>;
      if (!r.ok) throw new Error(r.error.message);
      return typeof r.value === 'string' ? r.value : null;
    },
  };
}

/** Asks the main process's picker on `channel`: the chosen path, null when cancelled; throws its refusal. */
async function pickPath(ipc: IpcRendererLike, channel: string): Promise<string | null> {
  const r = (await ipc.invoke(channel)) as Result<unknown>;
  if (!r.ok) throw new Error(r.error.message);
  return typeof r.value === 'string' ? r.value : null;
}
