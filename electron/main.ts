import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { resolveDataDir } from '../src/app/data-dir.js';
import { packageRoot, rendererBuildDir } from '../src/app/paths.js';
import { openDesktopApp } from './desktop-data.js';
import type { TonusApp } from '../src/app/tonus-app.js';
import { APP_SCHEME, rendererProtocolHandler } from './app-protocol.js';
import { writeFile } from 'node:fs/promises';
import { bindFilePicker } from './file-picker.js';
import { bindFolderPicker } from './folder-picker.js';
import { bindReportPdf } from './report-pdf.js';
import { quitAfterClose } from './graceful-quit.js';
import { keychainCredentials } from './keychain-credentials.js';
import { bindIpc, forwardEvents } from './ipc.js';
import { denyBluetoothChooser, lockDownSession } from './session-permissions.js';
import { APP_ENTRY_URL, hardenWebContents, openMainWindow } from './window-options.js';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
let tonus: TonusApp | undefined;

async function createWindow(): Promise<void> {
  // safeStorage answers only once the app is ready: the data folder opens here, not at load.
  const opened = openDesktopApp(resolveDataDir(dataDirArg), safeStorage, process.platform, process.env, {
    credentials: keychainCredentials(safeStorage, join(app.getPath('userData'), 'credentials.json')),
  });
  if (opened.kind === 'refused') {
    dialog.showErrorBox('Tonus cannot open its data', opened.message);
    app.exit(opened.exitCode);
    return;
  }
  for (const message of opened.messages)
    dialog.showMessageBoxSync({ type: 'info', title: 'Tonus data protection', message });
  tonus = opened.app;
  const staticDir = rendererBuildDir();
  protocol.handle(APP_SCHEME, rendererProtocolHandler(staticDir));
  lockDownSession(session.defaultSession);

  bindIpc(ipcMain, opened.app.handlers);
  const preload = join(packageRoot(), 'build', 'electron', 'preload.cjs');
  const win = openMainWindow(BrowserWindow, preload);
  hardenWebContents(win.webContents);
  const unbindPicker = bindFolderPicker(ipcMain, (options) => dialog.showOpenDialog(win, options));
  const unbindFilePicker = bindFilePicker(ipcMain, (options) => dialog.showOpenDialog(win, options));
  win.on('closed', unbindPicker);
  const unbindReportPdf = bindReportPdf(ipcMain, {
    printToPdf: (options) => win.webContents.printToPDF(options),
    showSaveDialog: (options) => dialog.showSaveDialog(win, options),
    writeFile: (path, bytes) => writeFile(path, bytes),
  });
  win.on('closed', unbindReportPdf);
  win.on('closed', unbindFilePicker);
  const stopForwarding = forwardEvents(opened.app.events, win.webContents);
  win.on('closed', stopForwarding);
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_ENTRY_URL);
}

app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents);
  denyBluetoothChooser(contents);
});
app.on('window-all-closed', () => app.quit());
quitAfterClose(app, async () => tonus?.close());
void app.whenReady().then(createWindow);
