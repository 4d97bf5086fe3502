import type { BrowserWindowConstructorOptions } from 'electron';

/** The only origin the window may show: the renderer served by our own `tonus://` protocol. */
export const APP_ORIGIN = 'tonus://app';
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** A window class built from {@link BrowserWindowConstructorOptions}: Electron's `BrowserWindow` in the app. */
export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * Opens the main window, hardened: context isolation, sandbox, no Node in the page, no webviews, no
 * insecure content, no auxclick. The page reaches the app only through the preload bridge.
 *
 * The options are one literal passed straight to `new BrowserWindow(…)` so that Electronegativity, which
 * reads the source and cannot follow a function's return value, checks exactly what the window gets.
 */
export function openMainWindow<W>(BrowserWindow: WindowConstructor<W>, preloadPath: string): W {
  return new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Tonus',
    backgroundColor: '#f7f7f5',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click (auxclick) could otherwise ask for a new window; the open handler denies it anyway.
      disableBlinkFeatures: 'Auxclick',
    },
  });
}

/** True if `url` belongs to the app's own origin. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** The parts of `WebContents` that {@link hardenWebContents} uses. */
export interface HardenableContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): void;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
}

/** Denies every new window, every navigation away from the app, and every webview. */
export function hardenWebContents(contents: HardenableContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const blockForeign = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
