import { describe, expect, it } from 'vitest';
import { FakeIpcMain } from './fake-ipc-main.js';
import { createPreloadApi, IPC_SAVE_REPORT_PDF_CHANNEL } from '../../electron/preload-api.js';
import type { REPORT_PDF_OPTIONS } from '../../electron/report-pdf.js';
import {
  bindReportPdf,
  safePdfName,
  type SaveDialogAnswer,
  type SaveDialogOptions,
} from '../../electron/report-pdf.js';

const APP = 'tonus://app/index.html';
const PDF = new TextEncoder().encode('%PDF-1.7 visit report');

/** Electron's printToPDF, save dialog and file system, recording what they were asked. */
function fakeDeps(answer: SaveDialogAnswer) {
  const printed: unknown[] = [];
  const dialogs: SaveDialogOptions[] = [];
  const written: { path: string; bytes: Uint8Array }[] = [];
  return {
    printed,
    dialogs,
    written,
    deps: {
      printToPdf: async (options: typeof REPORT_PDF_OPTIONS) => {
        printed.push(options);
        return PDF;
      },
      showSaveDialog: async (options: SaveDialogOptions) => {
        dialogs.push(options);
        return answer;
      },
      writeFile: async (path: string, bytes: Uint8Array) => {
        written.push({ path, bytes });
      },
    },
  };
}

describe('visit report PDF (desktop shell)', () => {
  it('prints the app window to an A4 PDF, asks where to save it and writes it there', async () => {
    const ipc = new FakeIpcMain();
    const f = fakeDeps({ canceled: false, filePath: '/home/me/visit-P-014-2026-12-05.pdf' });
    bindReportPdf(ipc, f.deps);
    expect(await ipc.invoke(APP, IPC_SAVE_REPORT_PDF_CHANNEL, 'visit-P-014-2026-12-05.pdf')).toEqual({
      ok: true,
      value: '/home/me/visit-P-014-2026-12-05.pdf',
    });
    expect(f.printed).toEqual([{ pageSize: 'A4', printBackground: true, preferCSSPageSize: true }]);
    expect(f.dialogs[0]?.defaultPath).toBe('visit-P-014-2026-12-05.pdf');
    expect(f.dialogs[0]?.filters).toEqual([{ name: 'PDF document', extensions: ['pdf'] }]);
    expect(f.written).toEqual([{ path: '/home/me/visit-P-014-2026-12-05.pdf', bytes: PDF }]);
  });

  it('writes nothing when the user cancels, and refuses other senders without printing', async () => {
    const ipc = new FakeIpcMain();
    const cancelled = fakeDeps({ canceled: true });
    const unbind = bindReportPdf(ipc, cancelled.deps);
    expect(await ipc.invoke(APP, IPC_SAVE_REPORT_PDF_CHANNEL, 'x.pdf')).toEqual({ ok: true, value: null });
    expect(cancelled.written).toEqual([]);
    const refused = await ipc.invoke('https://evil.example/', IPC_SAVE_REPORT_PDF_CHANNEL, 'x.pdf');
    expect(refused).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    expect(cancelled.printed).toHaveLength(1);
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });

  it('proposes a safe file name', () => {
    expect(safePdfName('visit-P 014/../x')).toBe('visit-P_014_.._x.pdf');
    expect(safePdfName('..hidden.PDF')).toBe('hidden.PDF');
    expect(safePdfName(42)).toBe('visit-report.pdf');
  });

  it('the preload asks for it over its own channel and returns the saved path', async () => {
    const calls: unknown[][] = [];
    const api = createPreloadApi({
      invoke: async (...args: unknown[]) => {
        calls.push(args);
        return { ok: true, value: '/tmp/r.pdf' };
      },
      on: () => undefined,
      removeListener: () => undefined,
    });
    expect(await api.saveReportPdf('r.pdf')).toBe('/tmp/r.pdf');
    expect(calls).toEqual([[IPC_SAVE_REPORT_PDF_CHANNEL, 'r.pdf']]);
  });
});
