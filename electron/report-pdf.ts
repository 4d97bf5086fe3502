import type { Result } from '../src/shared/result.js';
import { fail, ok } from '../src/shared/result.js';
import { isTrustedSender, type IpcMainLike } from './ipc.js';
import { IPC_SAVE_REPORT_PDF_CHANNEL } from './preload-api.js';

/** The options passed to `webContents.printToPDF`: A4, backgrounds kept, the page's own @page margins. */
export const REPORT_PDF_OPTIONS = {
  pageSize: 'A4',
  printBackground: true,
  preferCSSPageSize: true,
} as const;

/** The options the saver passes to Electron's `dialog.showSaveDialog`. */
export interface SaveDialogOptions {
  title: string;
  defaultPath: string;
  buttonLabel: string;
  filters: { name: string; extensions: string[] }[];
}

/** The parts of `dialog.showSaveDialog`'s answer the saver reads. */
export interface SaveDialogAnswer {
  canceled: boolean;
  filePath?: string;
}

/** What the saver needs from Electron and the file system. */
export interface ReportPdfDeps {
  printToPdf(options: typeof REPORT_PDF_OPTIONS): Promise<Uint8Array>;
  showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogAnswer>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
}

/** A file name a save dialog can propose: letters, digits, dot, dash and underscore; ends in .pdf. */
export function safePdfName(requested: unknown): string {
  const base = (typeof requested === 'string' ? requested : '')
    .replace(/[^\w.-]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 120);
  const name = base || 'visit-report';
  return name.toLowerCase().endsWith('.pdf') ? name : `${name}.pdf`;
}

/**
 * Answers the preload's `saveReportPdf(fileName)`: for the app's own window only, prints the page showing
 * the visit report to PDF (its print stylesheet in force), asks where to save it, writes it there and answers
 * the path; `null` when the user cancelled (nothing written). Other senders get `untrusted-sender`, and
 * nothing is printed. Returns a function that removes the handler.
 */
export function bindReportPdf(ipcMain: IpcMainLike, deps: ReportPdfDeps): () => void {
  ipcMain.handle(IPC_SAVE_REPORT_PDF_CHANNEL, async (event, fileName): Promise<Result<unknown>> => {
    if (!isTrustedSender(event))
      return fail('untrusted-sender', 'This request did not come from the Tonus window and was refused.');
    const bytes = await deps.printToPdf(REPORT_PDF_OPTIONS);
    const answer = await deps.showSaveDialog({
      title: 'Save the visit report',
      defaultPath: safePdfName(fileName),
      buttonLabel: 'Save',
      filters: [{ name: 'PDF document', extensions: ['pdf'] }],
    });
    if (answer.canceled || !answer.filePath) return ok(null);
    await deps.writeFile(answer.filePath, bytes);
    return ok(answer.filePath);
  });
  return () => ipcMain.removeHandler(IPC_SAVE_REPORT_PDF_CHANNEL);
}
