import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { resolveDataDir } from '../src/app/data-dir.js';
import { packageRoot, rendererBuildDir } from '../src/app/paths.js';
import { loadStatic } from '../src/app/static-files.js';
import { createTonusApp } from '../src/app/tonus-app.js';
import { CONTENT_SECURITY_POLICY } from '../src/shared/csp.js';
import { bindFolderPicker } from './folder-picker.js';
import { quitAfterClose } from './graceful-quit.js';
import { keychainCredentials } from './keychain-credentials.js';
import { bindIpc, forwardEvents } from './ipc.js';
import { APP_ENTRY_URL, hardenWebContents, mainWindowOptions } from './window-options.js';

protocol.registerSchemesAsPrivileged([
  { scheme: 'tonus', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
const dataDir = resolveDataDir(dataDirArg);
const tonus = createTonusApp({
  dataDir,
  credentials: keychainCredentials(safeStorage, join(app.getPath('userData'), 'credentials.json')),
});

async function createWindow(): Promise<void> {
  const staticDir = rendererBuildDir();
  protocol.handle('tonus', async (request) => {
    const file = await loadStatic(staticDir, new URL(request.url).pathname);
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'content-type': file.type, 'content-security-policy': CONTENT_SECURITY_POLICY },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  bindIpc(ipcMain, tonus.handlers);
  const preload = join(packageRoot(), 'build', 'electron', 'preload.cjs');
  const win = new BrowserWindow(mainWindowOptions(preload));
  hardenWebContents(win.webContents);
  const unbindPicker = bindFolderPicker(ipcMain, (options) => dialog.showOpenDialog(win, options));
  win.on('closed', unbindPicker);
  const stopForwarding = forwardEvents(tonus.events, win.webContents);
  win.on('closed', stopForwarding);
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_ENTRY_URL);
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
app.on('window-all-closed', () => app.quit());
quitAfterClose(app, () => tonus.close());
void app.whenReady().then(createWindow);
