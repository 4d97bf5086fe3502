import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  hardenWebContents,
  isAppUrl,
  openMainWindow,
  type HardenableContents,
  type WindowConstructor,
} from '../../electron/window-options.js';

describe('main window options', () => {
  /** Stands in for Electron's BrowserWindow: keeps the options the window was built with. */
  class RecordingWindow {
    constructor(readonly options: ConstructorParameters<WindowConstructor<unknown>>[0]) {}
  }

  it('isolates the page: context isolation, sandbox, no Node, no webviews', () => {
    const prefs = openMainWindow(RecordingWindow, '/x/preload.cjs').options.webPreferences;
    expect(prefs).toEqual({
      preload: '/x/preload.cjs',
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
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('recognises only its own origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('tonus://app/assets/index.js')).toBe(true);
    expect(isAppUrl('tonus://evil/index.html')).toBe(false);
    expect(isAppUrl('https://app/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('hardenWebContents', () => {
  function harden() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
    const contents: HardenableContents = {
      setWindowOpenHandler: (h) => (openHandler = h),
      on: (event: string, listener: (event: { preventDefault(): void }, url: string) => void) =>
        listeners.set(event, listener as never),
    } as HardenableContents;
    hardenWebContents(contents);
    const fire = (name: string, url?: string): boolean => {
      let prevented = false;
      listeners.get(name)?.({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    return { fire, openHandler };
  }

  it('denies every window.open', () => {
    expect(harden().openHandler?.({ url: 'https://example.org' })).toEqual({ action: 'deny' });
  });

  it('blocks navigation and redirects away from the app, allows in-app navigation', () => {
    const { fire } = harden();
    expect(fire('will-navigate', 'https://example.org')).toBe(true);
    expect(fire('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'tonus://app/index.html')).toBe(false);
  });

  it('blocks webviews', () => {
    expect(harden().fire('will-attach-webview')).toBe(true);
  });
});
